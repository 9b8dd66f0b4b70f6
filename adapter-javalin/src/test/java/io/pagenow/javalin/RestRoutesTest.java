package io.pagenow.javalin;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.pagenow.javalin.TestServer.error;
import static io.pagenow.javalin.TestServer.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every REST route of docs/protocol.md over real HTTP, with its exact field names. */
class RestRoutesTest {

    private final TestServer server = TestServer.start();
    private final String alice = server.token("alice");
    private final String bob = server.token("bob");

    @AfterEach
    void stop() {
        server.close();
    }

    private static List<String> names(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private void send(TestSocket chat, String conversationId, String content) {
        chat.send("{\"action\":\"send-message\",\"tempMessageId\":\"" + content + "\",\"conversationId\":\""
                + conversationId + "\",\"content\":\"" + content + "\"}");
        chat.next("new-message");
        server.clock.advance(Duration.ofMillis(1500));
    }

    @Test
    void conversationRoutes() {
        HttpResponse<String> none = server.get("/conversation/direct/bob", alice);
        assertEquals(200, none.statusCode());
        assertEquals("null", none.body());

        JsonNode created = ok(server.post("/conversation", "Bearer " + alice,
                "{\"recipientIdArr\":[\"bob\"],\"isGroup\":false}"));
        assertEquals(List.of("conversationId"), names(created));
        String id = created.get("conversationId").asText();
        assertEquals(created, ok(server.get("/conversation/direct/bob", alice)));

        JsonNode conversation = ok(server.get("/conversations/" + id, bob));
        assertEquals(List.of("conversationId", "title", "isGroup", "participantId", "participantIds", "createdBy",
                "createdAt"), names(conversation));
        assertEquals("alice", conversation.get("participantId").asText());
        assertFalse(conversation.get("isGroup").asBoolean());
        assertEquals("2026-11-23T10:15:30.123Z", conversation.get("createdAt").asText());

        assertEquals("[\"alice\",\"bob\"]", ok(server.get("/conversations/" + id + "/participants", bob)).toString());
        assertEquals("[]", ok(server.get("/conversations", alice)).toString(), "no message yet: not listed");

        TestSocket chat = server.connect("/chat", alice);
        for (int i = 1; i <= 4; i++) {
            send(chat, id, "m" + i);
        }
        JsonNode summaries = ok(server.get("/conversations", bob));
        assertEquals(1, summaries.size());
        JsonNode summary = summaries.get(0);
        assertEquals(List.of("conversationId", "title", "isGroup", "participantId", "participantIds", "sentAt",
                "latestContent", "senderId", "isRead", "unreadCount"), names(summary));
        assertEquals("m4", summary.get("latestContent").asText());
        assertEquals("alice", summary.get("senderId").asText());
        assertEquals("alice", summary.get("participantId").asText());
        assertEquals("[\"alice\"]", summary.get("participantIds").toString());
        assertFalse(summary.get("isRead").asBoolean());
        assertEquals(4, summary.get("unreadCount").asInt());
        assertEquals("2026-11-23T10:15:34.623Z", summary.get("sentAt").asText());

        String messages = "/conversations/" + id + "/messages";
        JsonNode newest = ok(server.get(messages, bob));
        assertEquals(List.of("messageId", "conversationId", "sentAt", "senderId", "content", "editedAt", "deletedAt"),
                names(newest.get(0)), "the original fields, then the extensions");
        assertEquals(List.of("m4", "m3", "m2", "m1"), contents(newest));
        assertEquals(List.of("m2", "m3"), contents(ok(server.get(messages + "?limit=2&offset=1&order=asc", bob))));
        String m3 = newest.get(1).get("messageId").asText();
        assertEquals(List.of("m2", "m1"), contents(ok(server.get(messages + "?before=" + m3, bob))));
        assertEquals(List.of("m1", "m2"), contents(ok(server.get(messages + "?before=" + m3 + "&order=asc", bob))));
    }

    private static List<String> contents(JsonNode messages) {
        List<String> contents = new ArrayList<>();
        messages.forEach(m -> contents.add(m.get("content").asText()));
        return contents;
    }

    @Test
    void groupConversation() {
        String id = ok(server.post("/conversation", alice,
                "{\"recipientIdArr\":[\"bob\",\"carol\"],\"isGroup\":true,\"title\":\"Weekend\"}"))
                .get("conversationId").asText();
        JsonNode group = ok(server.get("/conversations/" + id, server.token("carol")));
        assertTrue(group.get("isGroup").asBoolean());
        assertEquals("Weekend", group.get("title").asText());
        assertEquals("[\"alice\",\"bob\"]", group.get("participantIds").toString());
        assertEquals("alice", group.get("createdBy").asText());
        error(403, server.get("/conversations/" + id, server.token("dave")));
    }

    @Test
    void presenceRoutes() {
        assertEquals("null", server.get("/presence/bob", alice).body(), "bob is offline");
        TestSocket bobPresence = server.connect("/presence", bob);
        bobPresence.send("{\"action\":\"update-presence\",\"url\":\"https://alice.github.io/post\",\"title\":\"Post\"}");
        bobPresence.drain();
        assertEquals("{\"url\":\"https://alice.github.io/post\",\"title\":\"Post\"}",
                ok(server.get("/presence/bob", alice)).toString());
        error(403, server.get("/presence/bob", server.token("dave")));

        JsonNode overview = ok(server.get("/presence", alice));
        assertEquals(List.of("userPresence", "presenceArr", "userInfoMap"), names(overview));
        assertEquals(List.of("userId", "page", "latestPage", "online", "lastSeenAt"),
                names(overview.get("userPresence")));
        JsonNode bobSeen = null;
        for (JsonNode friend : overview.get("presenceArr")) {
            if (friend.get("userId").asText().equals("bob")) {
                bobSeen = friend;
            }
        }
        assertEquals("{\"userId\":\"bob\",\"page\":{\"url\":\"https://alice.github.io/post\",\"title\":\"Post\","
                + "\"domain\":\"alice.github.io\"},\"latestPage\":{\"url\":\"https://alice.github.io/post\","
                + "\"title\":\"Post\",\"domain\":\"alice.github.io\"},\"online\":true,"
                + "\"lastSeenAt\":\"2026-11-23T10:15:30.123Z\"}", String.valueOf(bobSeen));
        assertEquals("{\"user_id\":\"alice\",\"first_name\":\"Alice\",\"last_name\":\"Kim\","
                + "\"profile_image_extension\":null}", overview.get("userInfoMap").get("alice").toString());
        assertEquals(3, overview.get("userInfoMap").size(), "the caller and both friends");
    }
}
