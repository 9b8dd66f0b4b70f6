package io.pagenow.lambda;

import com.fasterxml.jackson.core.JsonParser;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static io.pagenow.lambda.ApiGatewayJson.string;
import static io.pagenow.lambda.ApiGatewayJson.stringLists;
import static io.pagenow.lambda.ApiGatewayJson.strings;

/**
 * A REST API proxy-integration request ({@code APIGatewayProxyRequestEvent}'s JSON): what
 * {@code RestHandler} hands the protocol module.
 *
 * @param headers by name, case-insensitive (API Gateway passes names as the client spelled them)
 * @param query   the first value of each parameter, as the Javalin server reads a repeated one
 * @param body    decoded from base64 when API Gateway encoded it; null without a body
 */
record RestEvent(String method, String path, Map<String, String> headers, Map<String, String> query,
                 String body) {

    static RestEvent read(InputStream in) throws IOException {
        Fields event = ApiGatewayJson.read(in, new Fields());
        Map<String, String> query = new HashMap<>();
        if (event.multi != null) {
            event.multi.forEach((name, values) -> {
                if (!values.isEmpty()) {
                    query.put(name, values.get(0));
                }
            });
        } else {
            query.putAll(event.single);
        }
        return new RestEvent(event.method == null ? "" : event.method, event.path == null ? "/" : event.path,
                event.headers, query, event.body());
    }

    /** The fields of the event the handler uses, as they are read. */
    private static final class Fields extends ApiGatewayJson.EventFields {
        String method;
        String path;
        final Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        Map<String, String> single = Map.of();
        Map<String, List<String>> multi;

        @Override
        void read(String field, JsonParser json) throws IOException {
            switch (field) {
                case "httpMethod" -> method = string(json, field);
                case "path" -> path = string(json, field);
                case "headers" -> headers.putAll(strings(json, field));
                case "queryStringParameters" -> single = strings(json, field);
                case "multiValueQueryStringParameters" -> multi = stringLists(json, field);
                default -> super.read(field, json);
            }
        }
    }
}
