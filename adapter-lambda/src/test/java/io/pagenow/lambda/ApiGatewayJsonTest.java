package io.pagenow.lambda;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import static io.pagenow.lambda.LambdaWorld.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The event reading the stream handlers do in place of the runtime client's binding, on the
 * documented event JSON ({@link Events}) and on what AWS may send beside it.
 */
class ApiGatewayJsonTest {

    private static InputStream stream(String json) {
        return new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aRestEventGivesItsMethodPathHeadersFirstQueryValuesAndBody() throws IOException {
        RestEvent event = RestEvent.read(stream(Events.rest("GET",
                "/conversations/{conversationId}/messages").path("/conversations/c-1/messages")
                .query("limit", "5", "7").query("order", "asc").header("authorization", "t0ken")
                .body("{\"안녕\": 1}").json()));

        assertEquals("GET", event.method());
        assertEquals("/conversations/c-1/messages", event.path());
        assertEquals(Map.of("limit", "5", "order", "asc"), event.query(), "a repeated parameter's first value");
        assertEquals("t0ken", event.headers().get("Authorization"), "header names are case-insensitive");
        assertEquals("{\"안녕\": 1}", event.body());
    }

    @Test
    void aBase64BodyIsDecodedAndAMissingOneIsNull() throws IOException {
        assertEquals("{\"title\": \"é\"}", RestEvent.read(stream(Events.rest("POST", "/conversation")
                .base64Body("{\"title\": \"é\"}").json())).body());
        assertNull(RestEvent.read(stream(Events.rest("GET", "/presence").json())).body());
        String single = "{\"httpMethod\": \"GET\", \"path\": \"/presence\", \"queryStringParameters\": {\"a\": \"1\"},"
                + " \"multiValueQueryStringParameters\": null, \"isBase64Encoded\": true, \"body\": \"%%\"}";
        RestEvent event = RestEvent.read(stream(single));
        assertEquals(Map.of("a", "1"), event.query(), "without the multi-value map, the single-value one");
        assertEquals("%%", event.body(), "not base64: left as sent, for the protocol to name malformed");
    }

    @Test
    void webSocketEventsGiveTheirContextTokenAndFrame() throws IOException {
        WebSocketEvent connect = WebSocketEvent.read(stream(Events.connect("c1=", "jwt")));
        assertEquals("CONNECT", connect.eventType());
        assertEquals("c1=", connect.connectionId());
        assertEquals("abcd1234xy.execute-api.us-west-2.amazonaws.com", connect.domainName());
        assertEquals("prod", connect.stage());
        assertEquals("jwt", connect.query().get("Authorization"));
        assertEquals(Map.of(), WebSocketEvent.read(stream(Events.connect("c2=", null))).query());

        WebSocketEvent frame = WebSocketEvent.read(stream(
                Events.message("c1=", "send-message", "{\"action\": \"send-message\"}")));
        assertEquals("MESSAGE", frame.eventType());
        assertEquals("{\"action\": \"send-message\"}", frame.body());
        assertEquals("DISCONNECT", WebSocketEvent.read(stream(Events.disconnect("c1="))).eventType());

        String binary = "{\"requestContext\": {\"connectionId\": \"c3=\"}, \"isBase64Encoded\": true, \"body\": \""
                + Base64.getEncoder().encodeToString("{\"action\": \"heartbeat\"}".getBytes(StandardCharsets.UTF_8)) + "\"}";
        WebSocketEvent decoded = WebSocketEvent.read(stream(binary));
        assertEquals("MESSAGE", decoded.eventType(), "no event type: a frame");
        assertEquals("{\"action\": \"heartbeat\"}", decoded.body());
        assertNull(WebSocketEvent.read(stream("{\"requestContext\": null}")).connectionId());
    }

    @Test
    void fieldsNotReadAreSkippedWhateverTheyHold() throws IOException {
        String event = "{\"extra\": {\"deep\": [1, {\"path\": \"/wrong\"}, [true, null]]}, \"path\": \"/presence\","
                + " \"requestContext\": {\"path\": \"/prod/presence\", \"identity\": {\"sourceIp\": \"203.0.113.1\"}},"
                + " \"httpMethod\": \"GET\", \"stageVariables\": null, \"n\": 1.5e3}";
        RestEvent rest = RestEvent.read(stream(event));
        assertEquals("/presence", rest.path());
        assertEquals("GET", rest.method());
    }

    @Test
    void aMalformedEventFailsTheInvocationNamingTheField() {
        assertThrows(IOException.class, () -> RestEvent.read(stream("[]")));
        assertThrows(IOException.class, () -> RestEvent.read(stream("{\"path\": ")));
        IOException wrongType = assertThrows(IOException.class,
                () -> RestEvent.read(stream("{\"headers\": [\"Authorization\"]}")));
        assertTrue(wrongType.getMessage().contains("'headers'"), wrongType.getMessage());
        assertThrows(IOException.class, () -> WebSocketEvent.read(stream("{\"body\": 7}")));
    }

    @Test
    void theRestAnswerIsWhatApiGatewayReads() throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json; charset=utf-8");
        headers.put("Vary", "Origin");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ApiGatewayJson.writeRestAnswer(out, 200, headers, "{\"content\": \"안녕 \\\"bob\\\"\"}");
        var answer = json(out.toString(StandardCharsets.UTF_8));
        assertEquals(200, answer.path("statusCode").asInt());
        assertEquals("Origin", answer.path("headers").path("Vary").asText());
        assertEquals("{\"content\": \"안녕 \\\"bob\\\"\"}", answer.path("body").asText());
        assertFalse(answer.path("isBase64Encoded").asBoolean());

        ByteArrayOutputStream preflight = new ByteArrayOutputStream();
        ApiGatewayJson.writeRestAnswer(preflight, 204, Map.of(), null);
        assertFalse(json(preflight.toString(StandardCharsets.UTF_8)).has("body"));
    }
}
