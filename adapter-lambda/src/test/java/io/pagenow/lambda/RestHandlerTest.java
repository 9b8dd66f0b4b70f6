package io.pagenow.lambda;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

import static io.pagenow.lambda.LambdaWorld.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every REST route of docs/protocol.md through the REST handler, fed API Gateway proxy events. */
class RestHandlerTest {

    private LambdaWorld world;
    private String alice;

    @BeforeEach
    void start() throws Exception {
        world = new LambdaWorld();
        alice = world.token("alice");
    }

    @AfterEach
    void stop() {
        world.close();
    }

    @Test
    void everyChatRouteAnswersWithTheProtocolsFields() {
        APIGatewayProxyResponseEvent created = call(Events.rest("POST", "/conversation").token(alice)
                .body("{\"recipientIdArr\": [\"bob\"], \"isGroup\": false}"));
        assertEquals(200, created.getStatusCode(), created.getBody());
        assertEquals("application/json; charset=utf-8", created.getHeaders().get("Content-Type"));
        String id = json(created.getBody()).path("conversationId").asText();

        JsonNode direct = json(call(Events.rest("GET", "/conversation/direct/{userId}")
                .path("/conversation/direct/bob").token(alice)).getBody());
        assertEquals(id, direct.path("conversationId").asText());

        JsonNode conversation = json(call(Events.rest("GET", "/conversations/{conversationId}")
                .path("/conversations/" + id).token(alice)).getBody());
        assertEquals(id, conversation.path("conversationId").asText());
        assertFalse(conversation.path("isGroup").asBoolean());
        assertEquals("bob", conversation.path("participantId").asText());

        JsonNode participants = json(call(Events.rest("GET", "/conversations/{conversationId}/participants")
                .path("/conversations/" + id + "/participants").token(alice)).getBody());
        assertEquals(Set.of("alice", "bob"), StreamSupport.stream(participants.spliterator(), false)
                .map(JsonNode::asText).collect(Collectors.toSet()));

        APIGatewayProxyResponseEvent messages = call(Events.rest("GET", "/conversations/{conversationId}/messages")
                .path("/conversations/" + id + "/messages").query("limit", "5").query("order", "asc").token(alice));
        assertEquals(200, messages.getStatusCode());
        assertEquals("[]", messages.getBody());

        // No message yet: the conversation is not listed (the web client dereferences latestContent).
        assertEquals("[]", call(Events.rest("GET", "/conversations").token(alice).query("isRead", "false")).getBody());
        assertEquals("null", call(Events.rest("GET", "/conversation/direct/{userId}")
                .path("/conversation/direct/dave").token(alice)).getBody());
        // Only participants may look.
        assertEquals(403, call(Events.rest("GET", "/conversations/{conversationId}")
                .path("/conversations/" + id).token(world.token("carol"))).getStatusCode());
    }

    @Test
    void everyPresenceRouteAnswersWithTheProtocolsFields() {
        JsonNode overview = json(call(Events.rest("GET", "/presence").token(alice)).getBody());
        assertEquals("alice", overview.path("userPresence").path("userId").asText());
        assertEquals(Set.of("bob", "carol"), StreamSupport.stream(overview.path("presenceArr").spliterator(), false)
                .map(p -> p.path("userId").asText()).collect(Collectors.toSet()));
        assertEquals("Alice", overview.path("userInfoMap").path("alice").path("first_name").asText());

        APIGatewayProxyResponseEvent friend = call(Events.rest("GET", "/presence/{userId}").path("/presence/bob")
                .token(alice));
        assertEquals(200, friend.getStatusCode());
        assertEquals("null", friend.getBody(), "bob is offline");

        APIGatewayProxyResponseEvent stranger = call(Events.rest("GET", "/presence/{userId}").path("/presence/dave")
                .token(alice));
        assertEquals(403, stranger.getStatusCode());
        assertTrue(json(stranger.getBody()).path("error").asText().contains("dave"), stranger.getBody());
    }

    @Test
    void theTokenComesFromTheAuthorizationHeaderRawOrBearerInAnyCase() {
        APIGatewayProxyResponseEvent none = call(Events.rest("GET", "/conversations"));
        assertEquals(401, none.getStatusCode());
        assertTrue(json(none.getBody()).has("error"));

        assertEquals(401, call(Events.rest("GET", "/conversations").token(world.issuer.expiredToken("alice")))
                .getStatusCode());
        assertEquals(200, call(Events.rest("GET", "/conversations").token("Bearer " + alice)).getStatusCode());
        // HTTP/2 clients send lower-case header names, and API Gateway passes them on as sent.
        assertEquals(200, call(Events.rest("GET", "/conversations").header("authorization", alice)).getStatusCode());
    }

    @Test
    void answersCarryCorsHeadersForTheClientOriginOnly() {
        APIGatewayProxyResponseEvent allowed = call(Events.rest("GET", "/conversations").token(alice)
                .header("Origin", LambdaWorld.CLIENT_ORIGIN));
        assertEquals(LambdaWorld.CLIENT_ORIGIN, allowed.getHeaders().get("Access-Control-Allow-Origin"));
        assertEquals("Origin", allowed.getHeaders().get("Vary"));

        APIGatewayProxyResponseEvent refused = call(Events.rest("GET", "/conversations").token(alice)
                .header("Origin", "https://evil.example"));
        assertNull(refused.getHeaders().get("Access-Control-Allow-Origin"));

        // A 401 carries them too, or the page could not read why it failed.
        assertEquals(LambdaWorld.CLIENT_ORIGIN, call(Events.rest("GET", "/conversations")
                .header("Origin", LambdaWorld.CLIENT_ORIGIN)).getHeaders().get("Access-Control-Allow-Origin"));

        APIGatewayProxyResponseEvent preflight = call(Events.rest("OPTIONS", "/{proxy+}").path("/conversation")
                .header("Origin", LambdaWorld.CLIENT_ORIGIN).header("Access-Control-Request-Method", "POST"));
        assertEquals(204, preflight.getStatusCode());
        assertEquals(LambdaWorld.CLIENT_ORIGIN, preflight.getHeaders().get("Access-Control-Allow-Origin"));
        assertTrue(preflight.getHeaders().get("Access-Control-Allow-Methods").contains("POST"));
        assertTrue(preflight.getHeaders().get("Access-Control-Allow-Headers").contains("Authorization"));
    }

    @Test
    void theConversationListIsRevalidatedByItsETag() {
        APIGatewayProxyResponseEvent first = call(Events.rest("GET", "/conversations").token(alice)
                .header("Origin", LambdaWorld.CLIENT_ORIGIN));
        assertEquals(200, first.getStatusCode(), first.getBody());
        String etag = first.getHeaders().get("ETag");
        assertTrue(etag != null && etag.startsWith("\"") && etag.endsWith("\""), String.valueOf(etag));
        assertEquals("private, no-cache", first.getHeaders().get("Cache-Control"));
        assertEquals("ETag", first.getHeaders().get("Access-Control-Expose-Headers"), "a page may read the tag");

        // API Gateway passes header names as the client spelled them.
        APIGatewayProxyResponseEvent unchanged = call(Events.rest("GET", "/conversations").token(alice)
                .header("if-none-match", etag).header("Origin", LambdaWorld.CLIENT_ORIGIN));
        assertEquals(304, unchanged.getStatusCode());
        assertNull(unchanged.getBody());
        assertEquals(etag, unchanged.getHeaders().get("ETag"));
        assertNull(unchanged.getHeaders().get("Content-Type"));
        assertEquals(LambdaWorld.CLIENT_ORIGIN, unchanged.getHeaders().get("Access-Control-Allow-Origin"));

        assertEquals(200, call(Events.rest("GET", "/conversations").token(alice)
                .header("If-None-Match", "\"another\"")).getStatusCode());
        APIGatewayProxyResponseEvent preflight = call(Events.rest("OPTIONS", "/{proxy+}").path("/conversations")
                .header("Origin", LambdaWorld.CLIENT_ORIGIN).header("Access-Control-Request-Method", "GET"));
        assertTrue(preflight.getHeaders().get("Access-Control-Allow-Headers").contains("If-None-Match"));
    }

    @Test
    void queryValuesAndBodiesArriveAsTheClientSentThem() {
        APIGatewayProxyResponseEvent base64 = call(Events.rest("POST", "/conversation").token(alice)
                .base64Body("{\"recipientIdArr\": [\"bob\", \"carol\"], \"isGroup\": true, \"title\": \"Café ☕\"}"));
        assertEquals(200, base64.getStatusCode(), base64.getBody());
        String id = json(base64.getBody()).path("conversationId").asText();
        assertEquals("Café ☕", json(call(Events.rest("GET", "/conversations/{conversationId}")
                .path("/conversations/" + id).token(alice)).getBody()).path("title").asText());

        // A repeated parameter counts by its first value, as on the server (API Gateway's single map has the last).
        assertEquals(200, call(Events.rest("GET", "/conversations/{conversationId}/messages")
                .path("/conversations/" + id + "/messages").query("limit", "3", "many").token(alice)).getStatusCode());
        APIGatewayProxyResponseEvent outOfRange = call(Events.rest("GET", "/conversations/{conversationId}/messages")
                .path("/conversations/" + id + "/messages").query("limit", "1000").token(alice));
        assertEquals(400, outOfRange.getStatusCode());
        assertTrue(outOfRange.getBody().contains("'limit'"), outOfRange.getBody());

        APIGatewayProxyResponseEvent malformed = call(Events.rest("POST", "/conversation").token(alice)
                .body("{\"recipientIdArr\": [\"bob\""));
        assertEquals(400, malformed.getStatusCode());
        APIGatewayProxyResponseEvent badId = call(Events.rest("GET", "/conversations/{conversationId}")
                .path("/conversations/not-a-uuid").token(alice));
        assertEquals(400, badId.getStatusCode());
        assertTrue(badId.getBody().contains("conversationId"), badId.getBody());
        APIGatewayProxyResponseEvent huge = call(Events.rest("POST", "/conversation").token(alice)
                .body("{\"title\": \"" + "x".repeat(70_000) + "\"}"));
        assertEquals(413, huge.getStatusCode());
        assertEquals(404, call(Events.rest("GET", "/nowhere").token(alice)).getStatusCode());
    }

    private APIGatewayProxyResponseEvent call(Events.RestEvent event) {
        return world.rest.handleRequest(event.json(), null);
    }
}
