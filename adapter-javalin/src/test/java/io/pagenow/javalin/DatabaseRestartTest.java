package io.pagenow.javalin;

import com.fasterxml.jackson.databind.JsonNode;
import io.pagenow.db.testing.TestSchema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.pagenow.javalin.TestServer.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The server started with DATABASE_URL keeps every conversation and message across a restart. */
class DatabaseRestartTest {

    private static TestSchema schema;

    @BeforeAll
    static void createSchema() {
        schema = LiveStores.seededSchema("restart");
    }

    @AfterAll
    static void dropSchema() {
        schema.close();
    }

    @Test
    void everyConversationMessageAndReadStateIsThereAfterARestart() {
        Map<String, JsonNode> before;
        String direct;
        String group;
        try (TestServer first = TestServer.start(LiveStores.database(schema))) {
            assertEquals("{\"status\":\"ready\",\"checks\":{\"postgres\":\"up\"}}",
                    ok(first.get("/ready", null)).toString());
            String alice = first.token("alice");
            String bob = first.token("bob");
            TestSocket aliceChat = first.connect("/chat", alice);
            TestSocket bobChat = first.connect("/chat", bob);
            direct = ok(first.post("/conversation", alice, "{\"recipientIdArr\":[\"bob\"],\"isGroup\":false}"))
                    .get("conversationId").asText();
            group = ok(first.post("/conversation", bob,
                    "{\"recipientIdArr\":[\"alice\",\"carol\"],\"isGroup\":true,\"title\":\"Trip \uD83C\uDFD5\"}"))
                    .get("conversationId").asText();
            send(aliceChat, "a1", direct, "Hi Bob \uD83D\uDC4B");
            send(bobChat, "b1", direct, "Hi Alice");
            send(aliceChat, "a2", direct, "How are you?");
            send(bobChat, "b2", group, "Where to?");
            send(aliceChat, "a3", group, "The mountains");
            first.clock.advance(Duration.ofSeconds(5));
            send(bobChat, "b3", group, "Deal");
            bobChat.send("{\"action\":\"read-messages\",\"conversationId\":\"" + direct + "\"}");
            bobChat.nextOfType("read-messages");
            aliceChat.nextOfType("read-messages");

            before = readEverything(first, alice, bob, direct, group);
            assertEquals(3, before.get("messages of " + direct).size());
            assertEquals(2, before.get("alice: conversations").size());
            assertEquals("Alice", before.get("alice: presence").get("userInfoMap").get("alice").get("first_name").asText(),
                    "users come from the database's user_table");
        }

        try (TestServer second = TestServer.start(LiveStores.database(schema))) {
            String alice = second.token("alice");
            String bob = second.token("bob");
            Map<String, JsonNode> after = readEverything(second, alice, bob, direct, group);
            for (Map.Entry<String, JsonNode> read : before.entrySet()) {
                if (!read.getKey().endsWith("presence")) {
                    assertEquals(read.getValue(), after.get(read.getKey()), read.getKey());
                }
            }
            JsonNode bobsDirect = conversation(after.get("bob: conversations"), direct);
            assertTrue(bobsDirect.get("isRead").asBoolean(), "bob's read state survived");
            JsonNode alicesGroup = conversation(after.get("alice: conversations"), group);
            assertFalse(alicesGroup.get("isRead").asBoolean());
            assertEquals(1, alicesGroup.get("unreadCount").asInt(), "alice has not read bob's last group message");

            TestSocket aliceChat = second.connect("/chat", alice);
            send(aliceChat, "a4", direct, "Back after the restart");
            JsonNode newest = ok(second.get("/conversations/" + direct + "/messages?limit=2", bob));
            assertEquals(List.of("Back after the restart", "How are you?"),
                    List.of(newest.get(0).get("content").asText(), newest.get(1).get("content").asText()),
                    "a new message continues the conversation after the stored ones");
            assertEquals(direct, ok(second.post("/conversation", bob,
                    "{\"recipientIdArr\":[\"alice\"],\"isGroup\":false}")).get("conversationId").asText(),
                    "the direct pair is still known");
        }
    }

    private static void send(TestSocket socket, String tempId, String conversationId, String content) {
        socket.send("{\"action\":\"send-message\",\"tempMessageId\":\"" + tempId + "\",\"conversationId\":\""
                + conversationId + "\",\"content\":\"" + content + "\"}");
        while (true) {
            JsonNode frame = socket.nextOfType("new-message");
            if (frame.get("tempMessageId").asText().equals(tempId)) {
                return;
            }
        }
    }

    /** Every REST read of both users, keyed by what was read. */
    private static Map<String, JsonNode> readEverything(TestServer server, String alice, String bob, String direct,
                                                        String group) {
        Map<String, JsonNode> reads = new LinkedHashMap<>();
        for (Map.Entry<String, String> user : Map.of("alice", alice, "bob", bob).entrySet()) {
            String token = user.getValue();
            reads.put(user.getKey() + ": conversations", ok(server.get("/conversations", token)));
            reads.put(user.getKey() + ": unread", ok(server.get("/conversations?isRead=false", token)));
            reads.put(user.getKey() + ": presence", ok(server.get("/presence", token)));
        }
        for (String conversation : List.of(direct, group)) {
            reads.put("conversation " + conversation, ok(server.get("/conversations/" + conversation, alice)));
            reads.put("messages of " + conversation,
                    ok(server.get("/conversations/" + conversation + "/messages?order=asc&limit=100", bob)));
            reads.put("participants of " + conversation,
                    ok(server.get("/conversations/" + conversation + "/participants", alice)));
        }
        reads.put("direct alice-bob", ok(server.get("/conversation/direct/bob", alice)));
        return reads;
    }

    private static JsonNode conversation(JsonNode list, String conversationId) {
        for (JsonNode row : list) {
            if (row.get("conversationId").asText().equals(conversationId)) {
                return row;
            }
        }
        throw new AssertionError(conversationId + " not listed in " + list);
    }
}
