package io.pagenow.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import io.pagenow.core.delivery.port.out.ConnectionRegistry;
import io.pagenow.lambda.LambdaWorld.Push;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static io.pagenow.lambda.LambdaWorld.connectionId;
import static io.pagenow.lambda.LambdaWorld.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The existing clients' flow, through the handlers only: two users open both sockets, one creates a
 * conversation over REST and sends, both receive the message at the Management API, the other
 * reads, presence reaches the friend, and on the schedule both go offline.
 */
class LambdaFlowTest {

    private LambdaWorld world;

    @BeforeEach
    void start() throws Exception {
        world = new LambdaWorld();
    }

    @AfterEach
    void stop() {
        world.close();
    }

    @Test
    void twoUsersChatSeeEachOthersPresenceAndTimeOut() {
        flow();
    }

    /**
     * SnapStart's hooks on a live container: the checkpoint closes the pools and clients (what was
     * opened before is unusable, nothing serves until the restore), the restore opens new ones,
     * and the whole flow runs on them, seeing what was stored before the checkpoint.
     */
    @Test
    void theFlowRunsAfterASnapStartCheckpointAndRestore() {
        String carolChat = connectionId();
        assertEquals(200, world.chat.handleRequest(Events.connect(carolChat, world.token("carol")), null)
                .getStatusCode());
        ConnectionRegistry before = world.container.registry();
        assertTrue(before.find(carolChat).isPresent());

        world.container.beforeCheckpoint(null);
        assertThrows(RuntimeException.class, () -> before.find(carolChat), "the Redis pool is closed");
        assertThrows(IllegalStateException.class, () -> world.container.rest());

        world.container.afterRestore(null);
        assertTrue(world.container.registry().find(carolChat).isPresent(), "Redis kept what it had");
        flow();
    }

    /**
     * SnapStart priming: the checkpoint runs each handler's refused requests, so the snapshot holds
     * the issuer's keys and the classes of a first event, and a restored container's first
     * {@code $connect} fetches nothing; the priming asks no store and pushes nothing.
     */
    @Test
    void theCheckpointPrimesTheHandlersWithoutTouchingAStore() throws Exception {
        assertEquals(0, world.issuer.keyFetches(), "nothing verified a token yet");
        Set<String> keysBefore = redisKeys();

        world.container.beforeCheckpoint(null);

        int fetched = world.issuer.keyFetches();
        assertTrue(fetched >= 1, "the issuer's keys are fetched before the snapshot");
        assertEquals(List.of(), world.pushes(), "priming pushes nothing");
        assertEquals(keysBefore, redisKeys(), "priming writes nothing to Redis");
        try (java.sql.Connection c = world.schema.connect();
             java.sql.ResultSet rows = c.createStatement().executeQuery("SELECT count(*) FROM message_table")) {
            assertTrue(rows.next());
            assertEquals(0, rows.getInt(1), "priming stores no message");
        }

        world.container.afterRestore(null);
        String carolChat = connectionId();
        assertEquals(200, world.chat.handleRequest(Events.connect(carolChat, world.token("carol")), null)
                .getStatusCode());
        assertEquals(fetched, world.issuer.keyFetches(), "the restored container verifies with the snapshot's keys");
        assertTrue(world.container.registry().find(carolChat).isPresent());
    }

    private Set<String> redisKeys() {
        return Set.copyOf(LambdaWorld.keysUnder(world.redisPrefix));
    }

    private void flow() {
        String aliceToken = world.token("alice");
        String bobToken = world.token("bob");
        String aliceChat = connectionId();
        String alicePresence = connectionId();
        String bobChat = connectionId();
        String bobPresence = connectionId();
        assertEquals(200, world.chat.handleRequest(Events.connect(aliceChat, aliceToken), null).getStatusCode());
        assertEquals(200, world.presence.handleRequest(Events.connect(alicePresence, aliceToken), null).getStatusCode());
        assertEquals(200, world.chat.handleRequest(Events.connect(bobChat, bobToken), null).getStatusCode());
        assertEquals(200, world.presence.handleRequest(Events.connect(bobPresence, bobToken), null).getStatusCode());
        List<Push> online = world.pushes();
        assertTrue(online.stream().anyMatch(p -> p.connectionId().equals(alicePresence)
                && p.type().equals("update-presence") && p.frame().path("userId").asText().equals("bob")),
                "alice hears bob come online: " + online);

        // alice opens a direct conversation over REST and sends over her chat socket.
        String conversation = json(world.rest.handleRequest(Events.rest("POST", "/conversation").token(aliceToken)
                .header("Origin", LambdaWorld.CLIENT_ORIGIN)
                .body("{\"recipientIdArr\": [\"bob\"], \"isGroup\": false, \"title\": \"\"}").json(), null)
                .getBody()).path("conversationId").asText();
        world.chat.handleRequest(Events.message(aliceChat, "send-message", "{\"action\": \"send-message\","
                + " \"tempMessageId\": \"tmp-1\", \"conversationId\": \"" + conversation + "\", \"content\": \"안녕, bob!\"}"),
                null);

        Map<String, JsonNode> delivered = byConnection(world.pushes());
        assertEquals(Set.of(aliceChat, bobChat), delivered.keySet(), "every chat socket of both, the sender's included");
        for (JsonNode message : delivered.values()) {
            assertEquals("new-message", message.path("type").asText());
            assertEquals("tmp-1", message.path("tempMessageId").asText());
            assertEquals(conversation, message.path("conversationId").asText());
            assertEquals("alice", message.path("senderId").asText());
            assertEquals("안녕, bob!", message.path("content").asText());
            assertTrue(message.path("sentAt").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"));
        }
        String messageId = delivered.get(bobChat).path("messageId").asText();

        // bob lists his conversations, reads, and alice sees the receipt.
        JsonNode listed = json(world.rest.handleRequest(Events.rest("GET", "/conversations").token(bobToken).json(),
                null).getBody());
        assertEquals(1, listed.size());
        assertEquals("안녕, bob!", listed.path(0).path("latestContent").asText());
        assertFalse(listed.path(0).path("isRead").asBoolean());
        JsonNode page = json(world.rest.handleRequest(Events.rest("GET", "/conversations/{conversationId}/messages")
                .path("/conversations/" + conversation + "/messages").token(bobToken).json(), null).getBody());
        assertEquals(messageId, page.path(0).path("messageId").asText());
        world.chat.handleRequest(Events.message(bobChat, "read-messages",
                "{\"action\": \"read-messages\", \"conversationId\": \"" + conversation + "\"}"), null);
        Map<String, JsonNode> receipts = byConnection(world.pushes());
        assertEquals(Set.of(aliceChat, bobChat), receipts.keySet());
        assertEquals("read-messages", receipts.get(aliceChat).path("type").asText());
        assertEquals("bob", receipts.get(aliceChat).path("userId").asText());
        assertTrue(json(world.rest.handleRequest(Events.rest("GET", "/conversations").token(bobToken).json(), null)
                .getBody()).path(0).path("isRead").asBoolean());

        // alice browses; bob (a friend) sees it, on his presence socket only.
        world.presence.handleRequest(Events.message(alicePresence, "update-presence", "{\"action\":"
                + " \"update-presence\", \"url\": \"https://news.bbc.co.uk/sport\", \"title\": \"Sport\"}"), null);
        Map<String, JsonNode> presence = byConnection(world.pushes());
        assertEquals(Set.of(alicePresence, bobPresence), presence.keySet());
        assertEquals("bbc.co.uk", presence.get(bobPresence).path("domain").asText());
        assertEquals("https://news.bbc.co.uk/sport", json(world.rest.handleRequest(Events.rest("GET",
                "/presence/{userId}").path("/presence/alice").token(bobToken).json(), null).getBody())
                .path("url").asText());

        // Nobody heartbeats for four minutes: the next scheduled sweep takes both offline.
        world.clock.advance(Duration.ofMinutes(4));
        assertEquals(2, world.sweep.handleRequest(Events.scheduled(), null));
        Map<String, JsonNode> timeouts = byConnection(world.pushes());
        assertEquals("bob", timeouts.get(alicePresence).path("userId").asText());
        assertEquals("alice", timeouts.get(bobPresence).path("userId").asText());
        assertEquals(Set.of("presence-timeout"), timeouts.values().stream().map(t -> t.path("type").asText())
                .collect(Collectors.toSet()));
        assertEquals("null", world.rest.handleRequest(Events.rest("GET", "/presence/{userId}").path("/presence/alice")
                .token(bobToken).json(), null).getBody());
    }

    private static Map<String, JsonNode> byConnection(List<Push> pushes) {
        assertEquals(pushes.size(), pushes.stream().map(Push::connectionId).distinct().count(),
                "one push per connection: " + pushes);
        return pushes.stream().collect(Collectors.toMap(Push::connectionId, Push::frame));
    }
}
