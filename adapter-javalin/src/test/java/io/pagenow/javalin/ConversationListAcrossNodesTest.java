package io.pagenow.javalin;

import com.fasterxml.jackson.databind.JsonNode;
import io.pagenow.db.testing.TestSchema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;

import static io.pagenow.javalin.TestServer.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Read-your-writes of {@code GET /conversations} across nodes: two server nodes on one PostgreSQL
 * schema and no Redis, so nothing passes between them but the database (as between Lambda
 * containers). Each node keeps the lists it answered; a send, a read or an edit through node 1
 * must show in the very next list node 2 answers, and node 2 must never answer 304 to a tag of the
 * list as it was before.
 */
class ConversationListAcrossNodesTest {

    private static TestSchema schema;
    private static TestServer node1;
    private static TestServer node2;

    @BeforeAll
    static void startNodes() {
        schema = LiveStores.seededSchema("list_across_nodes");
        node1 = TestServer.start(LiveStores.database(schema));
        node2 = TestServer.start(LiveStores.database(schema));
    }

    @AfterAll
    static void stopNodes() {
        try {
            node1.close();
            node2.close();
        } finally {
            schema.close();
        }
    }

    @Test
    void aChangeThroughOneNodeShowsInTheNextListOfTheOther() {
        String bob = node1.token("bob");
        String aliceOn1 = node1.token("alice");
        String aliceOn2 = node2.token("alice");
        String conversationId = ok(node1.post("/conversation", bob,
                "{\"recipientIdArr\":[\"alice\"],\"isGroup\":false}")).get("conversationId").asText();
        TestSocket bobChat = node1.connect("/chat", bob);
        TestSocket aliceChat = node1.connect("/chat", aliceOn1);

        send(bobChat, conversationId, "one");
        HttpResponse<String> first = list(node2, aliceOn2, null);
        JsonNode row = only(first);
        assertEquals("one", row.get("latestContent").asText());
        assertEquals(1, row.get("unreadCount").asInt());
        String firstTag = first.headers().firstValue("ETag").orElseThrow();
        assertEquals(304, list(node2, aliceOn2, firstTag).statusCode(), "node 2 keeps it while nothing changed");

        JsonNode second = send(bobChat, conversationId, "two");
        HttpResponse<String> afterSend = list(node2, aliceOn2, firstTag);
        assertEquals(200, afterSend.statusCode(), "a message sent through node 1 changes node 2's answer");
        row = only(afterSend);
        assertEquals("two", row.get("latestContent").asText());
        assertEquals(2, row.get("unreadCount").asInt());
        assertEquals(false, row.get("isRead").asBoolean());

        aliceChat.send("{\"action\":\"read-messages\",\"conversationId\":\"" + conversationId + "\"}");
        aliceChat.nextOfType("read-messages");
        HttpResponse<String> afterRead = list(node2, aliceOn2, afterSend.headers().firstValue("ETag").orElseThrow());
        assertEquals(200, afterRead.statusCode(), "a read through node 1 changes node 2's answer");
        row = only(afterRead);
        assertEquals(0, row.get("unreadCount").asInt());
        assertTrue(row.get("isRead").asBoolean());
        assertEquals(0, ok(node2.get("/conversations?isRead=false", aliceOn2)).size(), "the unread filter too");

        bobChat.send("{\"action\":\"edit-message\",\"messageId\":\"" + second.get("messageId").asText()
                + "\",\"content\":\"two, edited\"}");
        bobChat.nextOfType("message-edited");
        HttpResponse<String> afterEdit = list(node2, aliceOn2, afterRead.headers().firstValue("ETag").orElseThrow());
        assertEquals(200, afterEdit.statusCode(), "an edit through node 1 changes node 2's answer");
        assertEquals("two, edited", only(afterEdit).get("latestContent").asText());

        String tag = afterEdit.headers().firstValue("ETag").orElseThrow();
        assertNotEquals(firstTag, tag);
        HttpResponse<String> onNode1 = list(node1, aliceOn1, null);
        assertEquals(afterEdit.body(), onNode1.body());
        assertEquals(tag, onNode1.headers().firstValue("ETag").orElseThrow(), "one body, one tag on every node");
        assertEquals(304, list(node1, aliceOn1, tag).statusCode());
    }

    /** Sends through the socket and waits for the sender's own copy: the message is stored by then. */
    private static JsonNode send(TestSocket socket, String conversationId, String content) {
        socket.send("{\"action\":\"send-message\",\"tempMessageId\":\"t-" + UUID.randomUUID()
                + "\",\"conversationId\":\"" + conversationId + "\",\"content\":\"" + content + "\"}");
        return socket.nextOfType("new-message");
    }

    private static HttpResponse<String> list(TestServer node, String token, String ifNoneMatch) {
        HttpRequest.Builder request = HttpRequest.newBuilder(node.uri("/conversations")).timeout(Duration.ofSeconds(10))
                .header("Authorization", token).GET();
        if (ifNoneMatch != null) {
            request.header("If-None-Match", ifNoneMatch);
        }
        HttpResponse<String> response = node.send(request.build());
        if (response.statusCode() == 304) {
            assertEquals("", response.body(), "a 304 has no body");
        }
        return response;
    }

    private static JsonNode only(HttpResponse<String> response) {
        JsonNode list = ok(response);
        assertEquals(1, list.size(), list.toString());
        assertEquals("private, no-cache", response.headers().firstValue("Cache-Control").orElse(""));
        return list.get(0);
    }
}
