package io.pagenow.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import io.pagenow.lambda.LambdaWorld.Push;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static io.pagenow.lambda.LambdaWorld.connectionId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The round-2 extensions through the Lambda handlers: typing, edit, delete, catch-up, idempotency per conversation. */
class LambdaRound2Test {

    private LambdaWorld world;
    private final String aliceTab = connectionId();
    private final String alicePhone = connectionId();
    private final String bob = connectionId();
    private final String carol = connectionId();
    private final String dave = connectionId();
    private String direct;

    @BeforeEach
    void start() throws Exception {
        world = new LambdaWorld();
        world.chat.handleRequest(Events.connect(aliceTab, world.token("alice")), null);
        world.chat.handleRequest(Events.connect(alicePhone, world.token("alice")), null);
        world.chat.handleRequest(Events.connect(bob, world.token("bob")), null);
        world.chat.handleRequest(Events.connect(carol, world.token("carol")), null);
        world.chat.handleRequest(Events.connect(dave, world.token("dave")), null);
        direct = conversation("alice", "bob");
        world.pushes();
    }

    @AfterEach
    void stop() {
        world.close();
    }

    private String conversation(String caller, String other) {
        return LambdaWorld.json(world.rest.handleRequest(Events.rest("POST", "/conversation")
                .token(world.token(caller)).body("{\"recipientIdArr\": [\"" + other + "\"], \"isGroup\": false}").json(),
                null).getBody()).path("conversationId").asText();
    }

    private void frame(String connection, String action, String json) {
        world.chat.handleRequest(Events.message(connection, action, json), null);
    }

    private String send(String connection, String tempId, String conversationId, String content) {
        frame(connection, "send-message", "{\"action\": \"send-message\", \"tempMessageId\": \"" + tempId
                + "\", \"conversationId\": \"" + conversationId + "\", \"content\": \"" + content + "\"}");
        List<Push> pushes = world.pushes();
        return pushes.stream().filter(p -> "new-message".equals(p.type())).findFirst().orElseThrow()
                .frame().path("messageId").asText();
    }

    /** A page of messages; {@code query} is name, value, name, value, ... */
    private JsonNode messages(String user, String conversationId, String... query) {
        Events.RestEvent request = Events.rest("GET", "/conversations/{conversationId}/messages")
                .path("/conversations/" + conversationId + "/messages").token(world.token(user));
        for (int i = 0; i < query.length; i += 2) {
            request.query(query[i], query[i + 1]);
        }
        return LambdaWorld.json(world.rest.handleRequest(request.json(), null).getBody());
    }

    private static Set<String> targets(List<Push> pushes, String type) {
        return pushes.stream().filter(p -> type.equals(p.type())).map(Push::connectionId).collect(Collectors.toSet());
    }

    @Test
    void typingReachesTheOtherParticipantOncePerTwoSecondsAndAStrangerGets403() {
        String typing = "{\"action\": \"typing\", \"conversationId\": \"" + direct + "\"}";

        frame(aliceTab, "typing", typing);
        List<Push> pushes = world.pushes();
        assertEquals(1, pushes.size(), pushes.toString());
        assertEquals(bob, pushes.get(0).connectionId());
        assertEquals("{\"type\":\"typing\",\"conversationId\":\"" + direct + "\",\"userId\":\"alice\"}",
                pushes.get(0).frame().toString());

        world.clock.advance(Duration.ofMillis(1999));
        frame(alicePhone, "typing", typing);
        assertEquals(List.of(), world.pushes(), "dropped silently within 2 s");
        world.clock.advance(Duration.ofMillis(1));
        frame(alicePhone, "typing", typing);
        assertEquals(Set.of(bob), targets(world.pushes(), "typing"));

        frame(dave, "typing", typing);
        List<Push> refused = world.pushes();
        assertEquals(1, refused.size(), refused.toString());
        assertEquals(dave, refused.get(0).connectionId());
        assertEquals(403, refused.get(0).frame().path("code").asInt());
    }

    @Test
    void editAndDeleteReachEveryParticipantAndRefusalsChangeNothing() {
        String messageId = send(aliceTab, "t-1", direct, "helo");

        frame(bob, "edit-message", "{\"action\": \"edit-message\", \"messageId\": \"" + messageId
                + "\", \"content\": \"mine\"}");
        frame(carol, "delete-message", "{\"action\": \"delete-message\", \"messageId\": \"" + messageId + "\"}");
        frame(aliceTab, "delete-message", "{\"action\": \"delete-message\", \"messageId\": \"" + UUID.randomUUID() + "\"}");
        List<Push> refusals = world.pushes();
        assertEquals(List.of(bob, carol, aliceTab), refusals.stream().map(Push::connectionId).toList());
        assertEquals(List.of(403, 403, 404), refusals.stream().map(p -> p.frame().path("code").asInt()).toList());
        assertEquals("helo", messages("bob", direct).path(0).path("content").asText(), "nothing changed");

        frame(alicePhone, "edit-message", "{\"action\": \"edit-message\", \"messageId\": \"" + messageId
                + "\", \"content\": \"hello\"}");
        List<Push> edited = world.pushes();
        assertEquals(Set.of(aliceTab, alicePhone, bob), targets(edited, "message-edited"));
        assertEquals(3, edited.size());
        assertEquals("hello", edited.get(0).frame().path("content").asText());

        frame(aliceTab, "delete-message", "{\"action\": \"delete-message\", \"messageId\": \"" + messageId + "\"}");
        List<Push> deleted = world.pushes();
        assertEquals(Set.of(aliceTab, alicePhone, bob), targets(deleted, "message-deleted"));
        assertEquals(3, deleted.size());

        JsonNode tombstone = messages("bob", direct).path(0);
        assertEquals("", tombstone.path("content").asText());
        assertEquals(deleted.get(0).frame().path("deletedAt"), tombstone.path("deletedAt"));
        assertEquals(edited.get(0).frame().path("editedAt"), tombstone.path("editedAt"));
    }

    @Test
    void catchUpAfterAMessageAndTheSameTempIdInAnotherConversation() {
        String first = send(aliceTab, "a1", direct, "m1");
        send(bob, "b1", direct, "m2");
        send(aliceTab, "a2", direct, "m3");
        String withCarol = conversation("alice", "carol");

        String again = send(aliceTab, "a1", withCarol, "to carol");

        assertNotEquals(first, again, "a new message in the other conversation");
        assertEquals("to carol", messages("carol", withCarol).path(0).path("content").asText());
        JsonNode page = messages("bob", direct, "after", first, "order", "asc");
        assertEquals(List.of("m2", "m3"), List.of(page.path(0).path("content").asText(), page.path(1).path("content").asText()));
        assertEquals(2, page.size());
        assertTrue(messages("bob", direct, "after", again).has("error"), "a message of another conversation is 400");
    }
}
