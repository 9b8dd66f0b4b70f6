package io.pagenow.javalin;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.pagenow.javalin.TestServer.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The flows of the existing clients (extension background script and chat web client), end to end. */
class ClientFlowTest {

    private final TestServer server = TestServer.start();

    @AfterEach
    void stop() {
        server.close();
    }

    private static List<String> names(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void twoUsersChatAndEveryOpenSocketOfEveryParticipantGetsEachEvent() {
        String alice = server.token("alice");
        String bob = server.token("bob");
        TestSocket aliceTab1 = server.connect("/chat", alice);
        TestSocket aliceTab2 = server.connect("/chat", alice);
        TestSocket bobChat = server.connect("/chat", bob);
        server.connect("/presence", alice);
        server.connect("/presence", bob);

        String conversationId = ok(server.post("/conversation", alice,
                "{\"recipientIdArr\":[\"bob\"],\"isGroup\":false}")).get("conversationId").asText();
        assertEquals(conversationId, ok(server.get("/conversation/direct/alice", bob)).get("conversationId").asText());

        aliceTab1.send("{\"action\":\"send-message\",\"tempMessageId\":\"tmp-1\",\"conversationId\":\""
                + conversationId + "\",\"content\":\"Hi Bob! 👋\"}");
        JsonNode received = bobChat.next("new-message");
        assertEquals(List.of("type", "messageId", "tempMessageId", "conversationId", "senderId", "content", "sentAt"),
                names(received));
        assertEquals("tmp-1", received.get("tempMessageId").asText());
        assertEquals(conversationId, received.get("conversationId").asText());
        assertEquals("alice", received.get("senderId").asText());
        assertEquals("Hi Bob! 👋", received.get("content").asText());
        assertEquals("2026-11-23T10:15:30.123Z", received.get("sentAt").asText());
        assertEquals(received, aliceTab1.next("new-message"), "the sender's tab swaps its temporary message");
        assertEquals(received, aliceTab2.next("new-message"));

        JsonNode bobsList = ok(server.get("/conversations", bob));
        assertEquals(1, bobsList.size());
        assertFalse(bobsList.get(0).get("isRead").asBoolean());
        assertEquals("Hi Bob! 👋", bobsList.get(0).get("latestContent").asText());
        assertEquals(1, ok(server.get("/conversations?isRead=false", bob)).size());

        bobChat.send("{\"action\":\"read-messages\",\"conversationId\":\"" + conversationId + "\"}");
        JsonNode read = bobChat.next("read-messages");
        assertEquals(List.of("type", "conversationId", "userId"), names(read));
        assertEquals("bob", read.get("userId").asText());
        assertEquals(read, aliceTab1.next("read-messages"), "the sender sees the read receipt");
        assertEquals(read, aliceTab2.next("read-messages"));
        assertTrue(ok(server.get("/conversations", bob)).get(0).get("isRead").asBoolean());

        JsonNode messages = ok(server.get("/conversations/" + conversationId + "/messages", bob));
        assertEquals(1, messages.size());
        assertEquals(received.get("messageId"), messages.get(0).get("messageId"));
    }

    @Test
    void aRetriedSendIsStoredOnceAndAnsweredToTheSender() {
        String alice = server.token("alice");
        TestSocket aliceChat = server.connect("/chat", alice);
        TestSocket bobChat = server.connect("/chat", server.token("bob"));
        String id = ok(server.post("/conversation", alice, "{\"recipientIdArr\":[\"bob\"],\"isGroup\":false}"))
                .get("conversationId").asText();
        String frame = "{\"action\":\"send-message\",\"tempMessageId\":\"again\",\"conversationId\":\"" + id
                + "\",\"content\":\"once\"}";
        aliceChat.send(frame);
        JsonNode first = aliceChat.next("new-message");
        aliceChat.send(frame);
        assertEquals(first, aliceChat.next("new-message"));
        assertEquals(first, bobChat.next("new-message"));
        assertEquals(List.of(), bobChat.drain(), "bob got the message once");
        assertEquals(1, ok(server.get("/conversations/" + id + "/messages", alice)).size());
    }

    @Test
    void presenceUpdatesReachFriendsAndTheUserButNotStrangers() {
        TestSocket alice = server.connect("/presence", server.token("alice"));
        TestSocket bob = server.connect("/presence", server.token("bob"));
        TestSocket dave = server.connect("/presence", server.token("dave"));
        alice.drain();
        bob.drain();
        dave.drain();

        alice.send("{\"action\":\"update-presence\",\"url\":\"https://news.bbc.co.uk/sport\",\"title\":\"Sport\"}");
        JsonNode update = bob.next("update-presence");
        assertEquals(List.of("type", "userId", "url", "title", "domain", "latestUrl", "latestTitle", "latestDomain"),
                names(update));
        assertEquals("alice", update.get("userId").asText());
        assertEquals("https://news.bbc.co.uk/sport", update.get("url").asText());
        assertEquals("Sport", update.get("title").asText());
        assertEquals("bbc.co.uk", update.get("domain").asText());
        assertEquals("https://news.bbc.co.uk/sport", update.get("latestUrl").asText());
        assertEquals("bbc.co.uk", update.get("latestDomain").asText());
        assertEquals(update, alice.next("update-presence"), "the user's own sockets get it too");
        alice.drain();
        assertEquals(List.of(), dave.drain(), "dave is no friend of alice");

        JsonNode page = ok(server.get("/presence/alice", server.token("bob")));
        assertEquals("{\"url\":\"https://news.bbc.co.uk/sport\",\"title\":\"Sport\"}", page.toString());
        assertEquals(403, server.get("/presence/alice", server.token("dave")).statusCode());
    }

    @Test
    void closingTheLastPresenceSocketTellsFriendsTheUserLeft() {
        String aliceToken = server.token("alice");
        TestSocket aliceTab1 = server.connect("/presence", aliceToken);
        TestSocket aliceTab2 = server.connect("/presence", aliceToken);
        TestSocket bob = server.connect("/presence", server.token("bob"));
        TestSocket dave = server.connect("/presence", server.token("dave"));
        bob.drain();
        dave.drain();

        aliceTab1.close();
        assertTrue(bob.drain().stream().noneMatch(f -> f.get("type").asText().equals("presence-timeout")),
                "alice still has a tab open");
        String friends = ok(server.get("/presence", server.token("bob"))).get("presenceArr").toString();
        assertTrue(friends.contains("\"userId\":\"alice\",\"page\":{"), "alice is online: " + friends);

        aliceTab2.close();
        JsonNode left = bob.nextOfType("presence-timeout");
        assertEquals("{\"type\":\"presence-timeout\",\"userId\":\"alice\"}", left.toString());
        assertTrue(dave.drain().isEmpty());
        JsonNode overview = ok(server.get("/presence", server.token("bob")));
        for (JsonNode friend : overview.get("presenceArr")) {
            if (friend.get("userId").asText().equals("alice")) {
                assertFalse(friend.get("online").asBoolean());
                assertTrue(friend.get("page").isNull());
                assertEquals("2026-11-23T10:15:30.123Z", friend.get("lastSeenAt").asText(), "kept after leaving");
            }
        }
    }

    @Test
    void aUserSilentForTheTimeoutGoesOfflineAtTheSweep() {
        TestSocket alice = server.connect("/presence", server.token("alice"));
        TestSocket bob = server.connect("/presence", server.token("bob"));
        alice.drain();

        server.clock.advance(Duration.ofSeconds(100));
        bob.send("{\"action\":\"heartbeat\"}");
        bob.drain();
        server.clock.advance(Duration.ofSeconds(100));
        alice.send("{\"action\":\"heartbeat\"}");
        alice.drain();
        assertEquals(0, server.server.sweepPresence(), "both were seen within 180 s");

        server.clock.advance(Duration.ofSeconds(100));
        assertEquals(1, server.server.sweepPresence(), "bob was last seen 200 s ago");
        assertEquals("{\"type\":\"presence-timeout\",\"userId\":\"bob\"}", alice.nextOfType("presence-timeout").toString());
        JsonNode bobSeenByAlice = ok(server.get("/presence", server.token("alice"))).get("presenceArr");
        for (JsonNode friend : bobSeenByAlice) {
            if (friend.get("userId").asText().equals("bob")) {
                assertFalse(friend.get("online").asBoolean());
            }
        }
        assertTrue(bob.isOpen(), "the socket stays; a heartbeat brings bob back");
        bob.send("{\"action\":\"heartbeat\"}");
        JsonNode back = alice.nextOfType("update-presence");
        assertEquals("bob", back.get("userId").asText());
        assertEquals("", back.get("url").asText());
    }
}
