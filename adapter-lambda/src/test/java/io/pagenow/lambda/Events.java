package io.pagenow.lambda;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * API Gateway and EventBridge events as the handlers receive them: the sample JSON documents under
 * {@code src/test/resources/events} (the shapes AWS documents), filled in. The handlers are stream
 * handlers, so this JSON is exactly what they parse ({@link Invocation} feeds it as a stream).
 */
final class Events {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PLACEHOLDER = Pattern.compile("__[A-Z0-9_]+__");

    private Events() {
    }

    static RestEvent rest(String method, String resource) {
        return new RestEvent(method, resource);
    }

    static String connect(String connectionId, String token) {
        String query = token == null ? "null" : "{\"Authorization\": " + quote(token) + "}";
        String multi = token == null ? "null" : "{\"Authorization\": [" + quote(token) + "]}";
        return fill("ws-connect.json", Map.of("__QUERY__", query, "__MULTI_QUERY__", multi,
                "\"__CONNECTION_ID__\"", quote(connectionId)));
    }

    static String disconnect(String connectionId) {
        return fill("ws-disconnect.json", Map.of("\"__CONNECTION_ID__\"", quote(connectionId)));
    }

    /** A frame, as API Gateway routes it: {@code routeKey} is the action when it has a route, else {@code $default}. */
    static String message(String connectionId, String routeKey, String frame) {
        return fill("ws-message.json", Map.of("\"__CONNECTION_ID__\"", quote(connectionId),
                "\"__ROUTE_KEY__\"", quote(routeKey), "__BODY__", quote(frame)));
    }

    static String scheduled() {
        return fill("scheduled.json", Map.of());
    }

    static String quote(String value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String fill(String resource, Map<String, String> values) {
        String json;
        try (InputStream in = Events.class.getResourceAsStream("/events/" + resource)) {
            json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Matcher placeholders = PLACEHOLDER.matcher(json);
        while (placeholders.find()) {
            String placeholder = placeholders.group();
            if (values.keySet().stream().noneMatch(key -> key.contains(placeholder))) {
                throw new IllegalStateException(resource + ": nothing fills " + placeholder);
            }
        }
        for (Map.Entry<String, String> value : values.entrySet()) {
            json = json.replace(value.getKey(), value.getValue());
        }
        return json;
    }

    /** A REST proxy event under construction. */
    static final class RestEvent {
        private final String method;
        private final String resource;
        private String path;
        private final Map<String, List<String>> query = new LinkedHashMap<>();
        private final Map<String, String> headers = new LinkedHashMap<>();
        private String body;
        private boolean base64;

        private RestEvent(String method, String resource) {
            this.method = method;
            this.resource = resource;
            this.path = resource;
            headers.put("Accept", "application/json");
            headers.put("Host", "r3pmxmplak.execute-api.us-west-2.amazonaws.com");
            headers.put("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36");
            headers.put("X-Amzn-Trace-Id", "Root=1-6741b1e2-3b5c1a0d4e2f1a9b8c7d6e5f");
            headers.put("X-Forwarded-For", "203.0.113.10");
            headers.put("X-Forwarded-Port", "443");
            headers.put("X-Forwarded-Proto", "https");
        }

        /** The concrete path, for a resource with path parameters. */
        RestEvent path(String value) {
            this.path = value;
            return this;
        }

        RestEvent query(String name, String... values) {
            query.put(name, List.of(values));
            return this;
        }

        /** The original clients send the raw token as the Authorization header. */
        RestEvent token(String token) {
            return header("Authorization", token);
        }

        RestEvent header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        RestEvent body(String value) {
            this.body = value;
            return this;
        }

        RestEvent base64Body(String value) {
            this.body = java.util.Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
            this.base64 = true;
            return this;
        }

        String json() {
            Map<String, String> values = new LinkedHashMap<>();
            values.put("__RESOURCE__", resource);
            values.put("__PATH__", path);
            values.put("__METHOD__", method);
            values.put("__HEADERS__", json(headers));
            Map<String, List<String>> multiHeaders = new LinkedHashMap<>();
            headers.forEach((name, value) -> multiHeaders.put(name, List.of(value)));
            values.put("__MULTI_HEADERS__", json(multiHeaders));
            // Like API Gateway: the single-value map holds the last value of a repeated parameter.
            Map<String, String> single = new LinkedHashMap<>();
            query.forEach((name, all) -> single.put(name, all.get(all.size() - 1)));
            values.put("__QUERY__", query.isEmpty() ? "null" : json(single));
            values.put("__MULTI_QUERY__", query.isEmpty() ? "null" : json(query));
            Map<String, String> parameters = pathParameters();
            values.put("__PATH_PARAMETERS__", parameters.isEmpty() ? "null" : json(parameters));
            values.put("__BODY__", body == null ? "null" : quote(body));
            values.put("__BASE64__", Boolean.toString(base64));
            return fill("rest-proxy.json", values);
        }

        private Map<String, String> pathParameters() {
            Map<String, String> parameters = new LinkedHashMap<>();
            String[] template = resource.split("/");
            String[] actual = path.split("/");
            for (int i = 0; i < Math.min(template.length, actual.length); i++) {
                if (template[i].startsWith("{")) {
                    parameters.put(template[i].substring(1, template[i].length() - 1), actual[i]);
                }
            }
            return parameters;
        }

        private static String json(Object value) {
            try {
                return JSON.writeValueAsString(value);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
