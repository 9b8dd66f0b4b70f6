package io.pagenow.lambda;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The events API Gateway and EventBridge hand the functions, and the answers API Gateway reads, in
 * the JSON the Lambda Runtime API carries. The handlers are stream handlers, so the runtime client
 * never binds an event class with its own shaded Jackson and Joda-Time (some 300 ms of class loading
 * in a cold start's first event): this class reads the few fields the handlers use with
 * jackson-core's streaming parser, which the protocol module loads anyway, and skips the rest unread.
 * No data binding, no reflection: field names are spelled out here, as AWS documents them.
 */
final class ApiGatewayJson {

    private static final JsonFactory FACTORY = JsonFactory.builder()
            // The runtime client owns both streams; it reads the answer after the handler returns.
            .disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
            .build();

    private ApiGatewayJson() {
    }

    /**
     * A REST API proxy-integration request: what {@code RestHandler} hands the protocol module.
     *
     * @param headers by name, case-insensitive (API Gateway passes names as the client spelled them)
     * @param query   the first value of each parameter, as the Javalin server reads a repeated one
     * @param body    decoded from base64 when API Gateway encoded it; null without a body
     */
    record RestEvent(String method, String path, Map<String, String> headers, Map<String, String> query,
                       String body) {
    }

    /**
     * A WebSocket API event ({@code $connect}, {@code $disconnect} or a frame).
     *
     * @param eventType {@code CONNECT}, {@code DISCONNECT} or {@code MESSAGE}
     * @param query     the {@code $connect} query parameters (the token is one), empty otherwise
     * @param body      the frame's text, decoded from base64 when API Gateway encoded it; "" without one
     */
    record WebSocketEvent(String connectionId, String eventType, String domainName, String stage,
                          Map<String, String> query, String body) {
    }

    static RestEvent restEvent(InputStream in) throws IOException {
        String method = null;
        String path = null;
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        Map<String, String> single = Map.of();
        Map<String, List<String>> multi = null;
        String body = null;
        boolean base64 = false;
        try (JsonParser json = open(in)) {
            while (nextField(json)) {
                String field = json.currentName();
                json.nextToken();
                switch (field) {
                    case "httpMethod" -> method = string(json, field);
                    case "path" -> path = string(json, field);
                    case "headers" -> headers.putAll(strings(json, field));
                    case "queryStringParameters" -> single = strings(json, field);
                    case "multiValueQueryStringParameters" -> multi = stringLists(json, field);
                    case "body" -> body = string(json, field);
                    case "isBase64Encoded" -> base64 = bool(json, field);
                    default -> json.skipChildren();
                }
            }
        }
        Map<String, String> query = new HashMap<>();
        if (multi != null) {
            multi.forEach((name, values) -> {
                if (!values.isEmpty()) {
                    query.put(name, values.get(0));
                }
            });
        } else {
            query.putAll(single);
        }
        return new RestEvent(method == null ? "" : method, path == null ? "/" : path, headers, query,
                base64 ? decoded(body) : body);
    }

    static WebSocketEvent webSocketEvent(InputStream in) throws IOException {
        String connectionId = null;
        String eventType = null;
        String domainName = null;
        String stage = null;
        Map<String, String> query = Map.of();
        String body = null;
        boolean base64 = false;
        try (JsonParser json = open(in)) {
            while (nextField(json)) {
                String field = json.currentName();
                json.nextToken();
                switch (field) {
                    case "requestContext" -> {
                        if (json.currentToken() == JsonToken.VALUE_NULL) {
                            continue;
                        }
                        expect(json, JsonToken.START_OBJECT, field);
                        while (json.nextToken() == JsonToken.FIELD_NAME) {
                            String inner = json.currentName();
                            json.nextToken();
                            switch (inner) {
                                case "connectionId" -> connectionId = string(json, inner);
                                case "eventType" -> eventType = string(json, inner);
                                case "domainName" -> domainName = string(json, inner);
                                case "stage" -> stage = string(json, inner);
                                default -> json.skipChildren();
                            }
                        }
                    }
                    case "queryStringParameters" -> query = strings(json, field);
                    case "body" -> body = string(json, field);
                    case "isBase64Encoded" -> base64 = bool(json, field);
                    default -> json.skipChildren();
                }
            }
        }
        String text = body == null ? "" : body;
        return new WebSocketEvent(connectionId, eventType == null ? "MESSAGE" : eventType, domainName, stage, query,
                base64 ? decoded(text) : text);
    }

    /** A proxy-integration answer: {@code statusCode}, {@code headers}, {@code body} (null: none). */
    static void writeRestAnswer(OutputStream out, int status, Map<String, String> headers, String body)
            throws IOException {
        try (JsonGenerator json = FACTORY.createGenerator(out)) {
            json.writeStartObject();
            json.writeNumberField("statusCode", status);
            json.writeObjectFieldStart("headers");
            for (Map.Entry<String, String> header : headers.entrySet()) {
                json.writeStringField(header.getKey(), header.getValue());
            }
            json.writeEndObject();
            if (body != null) {
                json.writeStringField("body", body);
            }
            json.writeBooleanField("isBase64Encoded", false);
            json.writeEndObject();
        }
    }

    /** A WebSocket route's answer: only the status counts (a non-2xx refuses a {@code $connect}). */
    static void writeStatus(OutputStream out, int status) throws IOException {
        out.write(("{\"statusCode\":" + status + "}").getBytes(StandardCharsets.US_ASCII));
    }

    private static JsonParser open(InputStream in) throws IOException {
        JsonParser json = FACTORY.createParser(in);
        if (json.nextToken() != JsonToken.START_OBJECT) {
            json.close();
            throw new IOException("Malformed event: expected a JSON object");
        }
        return json;
    }

    /** Moves to the next field of the current object; false at its end. */
    private static boolean nextField(JsonParser json) throws IOException {
        JsonToken token = json.nextToken();
        if (token == JsonToken.FIELD_NAME) {
            return true;
        }
        if (token == JsonToken.END_OBJECT) {
            return false;
        }
        throw new IOException("Malformed event: unexpected " + token);
    }

    private static String string(JsonParser json, String field) throws IOException {
        JsonToken token = json.currentToken();
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        expect(json, JsonToken.VALUE_STRING, field);
        return json.getText();
    }

    private static boolean bool(JsonParser json, String field) throws IOException {
        JsonToken token = json.currentToken();
        if (token == JsonToken.VALUE_NULL) {
            return false;
        }
        if (token != JsonToken.VALUE_TRUE && token != JsonToken.VALUE_FALSE) {
            throw new IOException("Malformed event: '" + field + "' is not a boolean");
        }
        return token == JsonToken.VALUE_TRUE;
    }

    /** An object of strings (null values dropped), or JSON null: empty. */
    private static Map<String, String> strings(JsonParser json, String field) throws IOException {
        if (json.currentToken() == JsonToken.VALUE_NULL) {
            return Map.of();
        }
        expect(json, JsonToken.START_OBJECT, field);
        Map<String, String> values = new HashMap<>();
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            String name = json.currentName();
            json.nextToken();
            String value = string(json, field);
            if (value != null) {
                values.put(name, value);
            }
        }
        return values;
    }

    /** An object of string arrays, or JSON null. */
    private static Map<String, List<String>> stringLists(JsonParser json, String field) throws IOException {
        if (json.currentToken() == JsonToken.VALUE_NULL) {
            return null;
        }
        expect(json, JsonToken.START_OBJECT, field);
        Map<String, List<String>> values = new HashMap<>();
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            String name = json.currentName();
            if (json.nextToken() == JsonToken.VALUE_NULL) {
                continue;
            }
            expect(json, JsonToken.START_ARRAY, field);
            List<String> list = new ArrayList<>(1);
            while (json.nextToken() != JsonToken.END_ARRAY) {
                String value = string(json, field);
                if (value != null) {
                    list.add(value);
                }
            }
            values.put(name, list);
        }
        return values;
    }

    private static void expect(JsonParser json, JsonToken expected, String field) throws IOException {
        if (json.currentToken() != expected) {
            throw new IOException("Malformed event: '" + field + "' is " + json.currentToken() + ", expected "
                    + expected);
        }
    }

    /** Left as sent when it is not base64: the protocol's JSON parser then names it malformed. */
    private static String decoded(String body) {
        if (body == null) {
            return null;
        }
        try {
            return new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return body;
        }
    }
}
