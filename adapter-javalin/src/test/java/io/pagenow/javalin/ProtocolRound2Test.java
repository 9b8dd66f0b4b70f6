package io.pagenow.javalin;

import com.fasterxml.jackson.databind.JsonNode;
import io.pagenow.protocol.ApiDocument;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.pagenow.javalin.TestServer.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The protocol's round-2 extensions over real sockets: catch-up, idempotency per conversation, typing, edit, delete. */
class ProtocolRound2Test {

    private final TestServer server = TestServer.start();
    private final String alice = server.token("alice");
    private final String bob = server.token("bob");
    private final String carol = server.token("carol");
    private final String dave = server.token("dave");

    @AfterEach
    void stop() {
        server.close();
    }

    private String direct(String token, String other) {
        return ok(server.post("/conversation", token, "{\"recipientIdArr\":[\"" + other + "\"],\"isGroup\":false}"))
                .get("conversationId").asText();
    }

    private String group(String token, String... others) {
        return ok(server.post("/conversation", token, "{\"recipientIdArr\":[\"" + String.join("\",\"", others)
                + "\"],\"isGroup\":true,\"title\":\"Plans\"}")).get("conversationId").asText();
    }

    private static String send(String tempId, String conversationId, String content) {
        return "{\"action\":\"send-message\",\"tempMessageId\":\"" + tempId + "\",\"conversationId\":\""
                + conversationId + "\",\"content\":\"" + content + "\"}";
    }

    private static List<String> contents(JsonNode messages) {
        List<String> contents = new ArrayList<>();
        messages.forEach(m -> contents.add(m.get("content").asText()));
        return contents;
    }

    @Test
    void aReconnectingClientCatchesUpWithAfter() {
        TestSocket aliceChat = server.connect("/chat", alice);
        String id = direct(alice, "bob");
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            aliceChat.send(send("t" + i, id, "m" + i));
            ids.add(aliceChat.next("new-message").get("messageId").asText());
        }
        String path = "/conversations/" + id + "/messages?order=asc&limit=2&after=";

        assertEquals(List.of("m2", "m3"), contents(ok(server.get(path + ids.get(0), bob))));
        assertEquals(List.of("m4", "m5"), contents(ok(server.get(path + ids.get(2), bob))));
        assertEquals(List.of(), contents(ok(server.get(path + ids.get(4), bob))));
        String other = direct(alice, "carol");
        aliceChat.send(send("c1", other, "elsewhere"));
        String foreign = aliceChat.next("new-message").get("messageId").asText();
        String refused = TestServer.error(400, server.get(path + foreign, bob));
        assertTrue(refused.contains("'after'"), refused);
    }

    @Test
    void theSameTempMessageIdInAnotherConversationIsANewMessage() {
        TestSocket bobChat = server.connect("/chat", bob);
        TestSocket aliceChat = server.connect("/chat", alice);
        TestSocket carolChat = server.connect("/chat", carol);
        String withAlice = direct(bob, "alice");
        String withCarol = direct(bob, "carol");

        bobChat.send(send("b1", withAlice, "to alice"));
        JsonNode first = aliceChat.next("new-message");
        bobChat.next("new-message");
        bobChat.send(send("b1", withCarol, "to carol"));

        JsonNode second = carolChat.next("new-message");
        assertEquals("to carol", second.get("content").asText());
        assertEquals(withCarol, second.get("conversationId").asText());
        assertTrue(!second.get("messageId").equals(first.get("messageId")));
        assertEquals(second, bobChat.next("new-message"));
        assertEquals(List.of(), aliceChat.drain(), "alice got nothing of the other conversation");
        assertEquals(List.of("to carol"), contents(ok(server.get("/conversations/" + withCarol + "/messages", carol))));
    }

    @Test
    void typingReachesTheOtherParticipantsChatSocketsThrottledByTheClock() {
        TestSocket aliceTab1 = server.connect("/chat", alice);
        TestSocket aliceTab2 = server.connect("/chat", alice);
        TestSocket bobChat = server.connect("/chat", bob);
        TestSocket carolChat = server.connect("/chat", carol);
        TestSocket daveChat = server.connect("/chat", dave);
        TestSocket bobPresence = server.connect("/presence", bob);
        String id = group(alice, "bob", "carol");
        String typing = "{\"action\":\"typing\",\"conversationId\":\"" + id + "\"}";

        aliceTab1.send(typing);
        JsonNode event = bobChat.next("typing");
        assertEquals(List.of("type", "conversationId", "userId"), names(event));
        assertEquals(id, event.get("conversationId").asText());
        assertEquals("alice", event.get("userId").asText());
        assertEquals(event, carolChat.next("typing"));

        aliceTab2.send(typing);
        server.clock.advance(Duration.ofMillis(1999));
        aliceTab1.send(typing);
        assertEquals(List.of(), bobChat.drain(), "two more within 2 s: dropped silently");
        assertEquals(List.of(), aliceTab1.drain(), "no error, and not to the typist's own tabs");
        assertEquals(List.of(), aliceTab2.drain());

        server.clock.advance(Duration.ofMillis(1));
        aliceTab2.send(typing);
        assertEquals(event, bobChat.next("typing"), "2 s later, forwarded again");
        assertEquals(List.of(), daveChat.drain());
        assertTrue(bobPresence.drain().stream().noneMatch(f -> f.get("type").asText().equals("typing")));

        daveChat.send(typing);
        JsonNode refused = daveChat.next("error");
        assertEquals(403, refused.get("code").asInt());
        assertEquals("typing", refused.get("action").asText());
        assertEquals(List.of(), bobChat.drain());
        assertEquals(List.of(), ok(server.get("/conversations/" + id + "/messages", bob)).findValues("content"),
                "typing is never stored");
    }

    @Test
    void editAndDeleteReachEveryParticipantAndLeaveATombstone() {
        TestSocket aliceTab1 = server.connect("/chat", alice);
        TestSocket aliceTab2 = server.connect("/chat", alice);
        TestSocket bobChat = server.connect("/chat", bob);
        TestSocket carolChat = server.connect("/chat", carol);
        String id = direct(alice, "bob");
        aliceTab1.send(send("t1", id, "helo"));
        String messageId = bobChat.next("new-message").get("messageId").asText();
        aliceTab1.next("new-message");
        aliceTab2.next("new-message");
        bobChat.send(send("t2", id, "reply"));
        String bobsId = aliceTab1.next("new-message").get("messageId").asText();
        aliceTab2.next("new-message");
        bobChat.next("new-message");
        server.clock.advance(Duration.ofSeconds(60));

        aliceTab2.send("{\"action\":\"edit-message\",\"messageId\":\"" + messageId + "\",\"content\":\"hello\"}");
        JsonNode edited = bobChat.next("message-edited");
        assertEquals(List.of("type", "messageId", "conversationId", "content", "editedAt"), names(edited));
        assertEquals("hello", edited.get("content").asText());
        assertEquals("2026-11-23T10:16:30.123Z", edited.get("editedAt").asText());
        assertEquals(edited, aliceTab1.next("message-edited"));
        assertEquals(edited, aliceTab2.next("message-edited"));

        aliceTab1.send("{\"action\":\"edit-message\",\"messageId\":\"" + bobsId + "\",\"content\":\"mine\"}");
        assertEquals(403, aliceTab1.next("error").get("code").asInt());
        bobChat.send("{\"action\":\"delete-message\",\"messageId\":\"" + messageId + "\"}");
        assertEquals(403, bobChat.next("error").get("code").asInt());
        bobChat.send("{\"action\":\"delete-message\",\"messageId\":\"" + java.util.UUID.randomUUID() + "\"}");
        assertEquals(404, bobChat.next("error").get("code").asInt());
        assertEquals(List.of(), aliceTab2.drain(), "refusals reach only the sender of the frame");

        server.clock.advance(Duration.ofSeconds(1));
        bobChat.send("{\"action\":\"delete-message\",\"messageId\":\"" + bobsId + "\"}");
        JsonNode deleted = aliceTab1.next("message-deleted");
        assertEquals(List.of("type", "messageId", "conversationId", "deletedAt"), names(deleted));
        assertEquals(bobsId, deleted.get("messageId").asText());
        assertEquals(deleted, aliceTab2.next("message-deleted"));
        assertEquals(deleted, bobChat.next("message-deleted"));
        assertEquals(List.of(), carolChat.drain(), "not a participant");

        JsonNode page = ok(server.get("/conversations/" + id + "/messages", alice));
        assertEquals(List.of("", "hello"), contents(page));
        assertEquals("2026-11-23T10:16:31.123Z", page.get(0).get("deletedAt").asText());
        assertTrue(page.get(0).get("editedAt").isNull());
        assertEquals("2026-11-23T10:16:30.123Z", page.get(1).get("editedAt").asText());
        assertTrue(page.get(1).get("deletedAt").isNull());
        assertEquals("", ok(server.get("/conversations", alice)).get(0).get("latestContent").asText());
    }

    @Test
    void theServerServesBothApiDescriptions() {
        for (ApiDocument document : ApiDocument.values()) {
            HttpResponse<String> response = server.get(document.path(), null);
            assertEquals(200, response.statusCode());
            assertEquals("application/yaml", response.headers().firstValue("Content-Type").orElse("").split(";")[0]);
            assertEquals(document.text(), response.body());
        }
    }

    private static List<String> names(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
