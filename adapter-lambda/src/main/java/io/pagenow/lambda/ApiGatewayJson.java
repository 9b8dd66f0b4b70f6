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

/**
 * The JSON the Lambda Runtime API carries between API Gateway and the handlers: how an event is
 * read ({@link RestEvent} and {@link WebSocketEvent} name the fields of each kind), and the answers
 * API Gateway reads. The handlers are stream handlers, so the runtime client never binds an event
 * class with its own shaded Jackson and Joda-Time (some 300 ms of class loading in a cold start's
 * first event): the few fields the handlers use are read with jackson-core's streaming parser, which
 * the protocol module loads anyway, and the rest is skipped unread. No data binding, no reflection:
 * field names are spelled out, as AWS documents them.
 */
final class ApiGatewayJson {

    private static final JsonFactory FACTORY = JsonFactory.builder()
            // The runtime client owns both streams; it reads the answer after the handler returns.
            .disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
            .build();

    private ApiGatewayJson() {
    }

    /** The fields of one kind of event as they are read; those every event has are here. */
    abstract static class EventFields {
        private String body;
        private boolean base64;

        /** Reads the value of {@code field}, the parser on it; skips a field not wanted. */
        void read(String field, JsonParser json) throws IOException {
            switch (field) {
                case "body" -> body = string(json, field);
                case "isBase64Encoded" -> base64 = bool(json, field);
                default -> json.skipChildren();
            }
        }

        final String body() {
            return base64 ? decoded(body) : body;
        }
    }

    static <F extends EventFields> F read(InputStream in, F fields) throws IOException {
        try (JsonParser json = FACTORY.createParser(in)) {
            if (json.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("Malformed event: expected a JSON object");
            }
            for (JsonToken token = json.nextToken(); token != JsonToken.END_OBJECT; token = json.nextToken()) {
                if (token != JsonToken.FIELD_NAME) {
                    throw new IOException("Malformed event: unexpected " + token);
                }
                String field = json.currentName();
                json.nextToken();
                fields.read(field, json);
            }
        }
        return fields;
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

    static String string(JsonParser json, String field) throws IOException {
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
    static Map<String, String> strings(JsonParser json, String field) throws IOException {
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
    static Map<String, List<String>> stringLists(JsonParser json, String field) throws IOException {
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

    static void expect(JsonParser json, JsonToken expected, String field) throws IOException {
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
