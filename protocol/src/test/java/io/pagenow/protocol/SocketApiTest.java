package io.pagenow.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pagenow.core.chat.CreateConversation;
import io.pagenow.core.chat.Message;
import io.pagenow.core.chat.MessageQuery;
import io.pagenow.core.delivery.Channel;
import io.pagenow.core.delivery.Connection;
import io.pagenow.core.delivery.Event;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SocketApiTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final CoreFixture core = new CoreFixture();
    private final SocketApi api = new SocketApi(core.chat, core.presence);
    private final Connection aliceChat = new Connection("a-chat", "alice", Channel.CHAT, "node");
    private final Connection bobChat = new Connection("b-chat", "bob", Channel.CHAT, "node");
    private final Connection alicePresence = new Connection("a-presence", "alice", Channel.PRESENCE, "node");
    private final Connection bobPresence = new Connection("b-presence", "bob", Channel.PRESENCE, "node");
    private final TokenBucket unlimited = new FloodControl(1_000_000, 1_000_000).newBucket(core.clock);

    private UUID direct() {
        return core.chat.createConversation("alice", new CreateConversation(List.of("bob"), false, null)).id();
    }

    private FrameOutcome handle(Connection connection, String frame) {
        return api.handle(connection, frame, unlimited);
    }

    private static JsonNode error(FrameOutcome outcome) {
        assertTrue(outcome.reply().isPresent(), "expected an error event");
        try {
            JsonNode node = MAPPER.readTree(outcome.reply().get());
            assertEquals("error", node.get("type").asText());
            assertEquals(outcome.code(), node.get("code").asInt());
            return node;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private List<Message> stored(UUID conversation) {
        return core.chat.messages("alice", conversation, MessageQuery.newest(100));
    }

    @Test
    void sendMessageStoresThenPushesToEveryParticipantIncludingTheSender() {
        api.open(aliceChat);
        api.open(bobChat);
        UUID id = direct();
        FrameOutcome outcome = handle(aliceChat, "{\"action\":\"send-message\",\"tempMessageId\":\"t-1\","
                + "\"conversationId\":\"" + id + "\",\"content\":\"hello bob\"}");
        assertTrue(outcome.succeeded());
        assertEquals("send-message", outcome.action());
        assertEquals(Optional.empty(), outcome.reply());
        Message message = stored(id).get(0);
        Event expected = new Event.NewMessage(message.id(), "t-1", id, "alice", "hello bob", message.sentAt());
        assertEquals(java.util.Set.of("a-chat", "b-chat"), core.push.recipientsOf(expected));
    }

    @Test
    void typingReachesTheOtherParticipantOnlyAndANonParticipantGets403() {
        api.open(aliceChat);
        api.open(bobChat);
        Connection daveChat = new Connection("d-chat", "dave", Channel.CHAT, "node");
        api.open(daveChat);
        UUID id = direct();

        assertTrue(handle(aliceChat, "{\"action\":\"typing\",\"conversationId\":\"" + id + "\"}").succeeded());
        assertEquals(java.util.Set.of("b-chat"), core.push.recipientsOf(new Event.Typing(id, "alice")));

        JsonNode refused = error(handle(daveChat, "{\"action\":\"typing\",\"conversationId\":\"" + id + "\"}"));
        assertEquals(403, refused.get("code").asInt());
        assertEquals("typing", refused.get("action").asText());
        assertEquals(400, error(handle(aliceChat, "{\"action\":\"typing\"}")).get("code").asInt());
        assertEquals(1, core.push.deliveries().size(), "only alice's typing went out");
    }

    @Test
    void editAndDeleteReachEveryParticipantAndSomeoneElsesMessageIs403() {
        api.open(aliceChat);
        api.open(bobChat);
        UUID id = direct();
        handle(aliceChat, "{\"action\":\"send-message\",\"tempMessageId\":\"t-1\","
                + "\"conversationId\":\"" + id + "\",\"content\":\"helo\"}");
        Message sent = stored(id).get(0);
        core.push.clear();

        JsonNode notYours = error(handle(bobChat, "{\"action\":\"edit-message\",\"messageId\":\"" + sent.id()
                + "\",\"content\":\"mine now\"}"));
        assertEquals(403, notYours.get("code").asInt());
        assertEquals(403, error(handle(bobChat, "{\"action\":\"delete-message\",\"messageId\":\"" + sent.id()
                + "\"}")).get("code").asInt());
        assertEquals(404, error(handle(aliceChat, "{\"action\":\"delete-message\",\"messageId\":\""
                + UUID.randomUUID() + "\"}")).get("code").asInt());
        assertEquals(400, error(handle(aliceChat, "{\"action\":\"edit-message\",\"messageId\":\"" + sent.id()
                + "\",\"content\":\"\"}")).get("code").asInt());
        assertEquals(List.of(sent), stored(id), "nothing changed");
        assertEquals(List.of(), core.push.deliveries());

        assertTrue(handle(aliceChat, "{\"action\":\"edit-message\",\"messageId\":\"" + sent.id()
                + "\",\"content\":\"hello\"}").succeeded());
        Message edited = stored(id).get(0);
        assertEquals("hello", edited.content());
        assertEquals(java.util.Set.of("a-chat", "b-chat"), core.push.recipientsOf(
                new Event.MessageEdited(sent.id(), id, "hello", edited.editedAt())));
        assertTrue(handle(aliceChat, "{\"action\":\"delete-message\",\"messageId\":\"" + sent.id() + "\"}")
                .succeeded());
        Message tombstone = stored(id).get(0);
        assertEquals("", tombstone.content());
        assertEquals(java.util.Set.of("a-chat", "b-chat"), core.push.recipientsOf(
                new Event.MessageDeleted(sent.id(), id, tombstone.deletedAt())));
    }

    @Test
    void readMessagesReachesTheReaderAndTheOtherParticipants() {
        api.open(aliceChat);
        api.open(bobChat);
        UUID id = direct();
        assertTrue(handle(bobChat, "{\"action\":\"read-messages\",\"conversationId\":\"" + id + "\"}").succeeded());
        assertEquals(java.util.Set.of("a-chat", "b-chat"), core.push.recipientsOf(new Event.MessagesRead(id, "bob")));
    }

    @Test
    void presenceActionsReachFriendsAndHeartbeatsKeepTheUserOnline() {
        api.open(alicePresence);
        api.open(bobPresence);
        core.push.clear();
        assertTrue(handle(bobPresence, "{\"action\":\"update-presence\",\"url\":\"https://alice.github.io/p\","
                + "\"title\":\"Blog\"}").succeeded());
        Event update = new Event.PresenceUpdate("bob", "https://alice.github.io/p", "Blog", "alice.github.io",
                "https://alice.github.io/p", "Blog", "alice.github.io");
        assertEquals(java.util.Set.of("a-presence", "b-presence"), core.push.recipientsOf(update));

        core.clock.advance(Duration.ofMinutes(2));
        assertTrue(handle(bobPresence, "{\"action\":\"heartbeat\"}").succeeded());
        core.clock.advance(Duration.ofMinutes(2));
        assertEquals(1, core.presence.sweep(), "alice timed out, bob's heartbeat kept him online");
        assertTrue(core.presence.overview("bob").self().online());
    }

    @Test
    void closingTheLastPresenceSocketTakesTheUserOffline() {
        api.open(alicePresence);
        api.open(bobPresence);
        Connection secondTab = new Connection("b-presence-2", "bob", Channel.PRESENCE, "node");
        api.open(secondTab);
        api.close(Channel.PRESENCE, bobPresence.id());
        assertTrue(core.push.recipientsOf(new Event.PresenceTimeout("bob")).isEmpty());
        api.close(Channel.PRESENCE, secondTab.id());
        assertEquals(java.util.Set.of("a-presence"), core.push.recipientsOf(new Event.PresenceTimeout("bob")));
    }

    @Test
    void chatHeartbeatIsAcceptedAndDoesNothing() {
        FrameOutcome outcome = handle(aliceChat, "{\"action\":\"heartbeat\"}");
        assertTrue(outcome.succeeded());
        assertTrue(core.push.deliveries().isEmpty());
    }

    @Test
    void badFramesAnswerAnErrorNamingTheProblemAndStoreNothing() {
        api.open(aliceChat);
        UUID id = direct();
        String conversation = "\"conversationId\":\"" + id + "\"";

        JsonNode malformed = error(handle(aliceChat, "{\"action\":\"send-message\","));
        assertEquals(400, malformed.get("code").asInt());
        assertFalse(malformed.has("action"));
        assertTrue(malformed.get("message").asText().contains("Malformed JSON"));

        JsonNode notObject = error(handle(aliceChat, "[\"send-message\"]"));
        assertTrue(notObject.get("message").asText().contains("JSON object"));

        JsonNode noAction = error(handle(aliceChat, "{\"conversationId\":\"x\"}"));
        assertEquals("Missing 'action'", noAction.get("message").asText());

        JsonNode numericAction = error(handle(aliceChat, "{\"action\":7}"));
        assertEquals("'action' must be a string", numericAction.get("message").asText());

        FrameOutcome unknown = handle(aliceChat, "{\"action\":\"dance\"}");
        assertEquals("invalid", unknown.action());
        JsonNode unknownError = error(unknown);
        assertEquals("dance", unknownError.get("action").asText());
        assertTrue(unknownError.get("message").asText().contains("Unknown action 'dance'"));

        JsonNode wrongSocket = error(handle(aliceChat, "{\"action\":\"update-presence\",\"url\":\"\",\"title\":\"\"}"));
        assertTrue(wrongSocket.get("message").asText().contains("chat socket"));

        JsonNode missingTemp = error(handle(aliceChat, "{\"action\":\"send-message\"," + conversation
                + ",\"content\":\"x\"}"));
        assertEquals("send-message", missingTemp.get("action").asText());
        assertTrue(missingTemp.get("message").asText().contains("'tempMessageId'"));

        JsonNode numericContent = error(handle(aliceChat, "{\"action\":\"send-message\",\"tempMessageId\":\"t\","
                + conversation + ",\"content\":42}"));
        assertEquals("'content' must be a string", numericContent.get("message").asText());
        assertEquals("t", numericContent.get("tempMessageId").asText());

        JsonNode badUuid = error(handle(aliceChat, "{\"action\":\"send-message\",\"tempMessageId\":\"t\","
                + "\"conversationId\":\"123\",\"content\":\"x\"}"));
        assertEquals("'conversationId' must be a UUID", badUuid.get("message").asText());

        JsonNode tooLong = error(handle(aliceChat, "{\"action\":\"send-message\",\"tempMessageId\":\"t\","
                + conversation + ",\"content\":\"" + "x".repeat(1001) + "\"}"));
        assertTrue(tooLong.get("message").asText().contains("'content'"));

        JsonNode duplicateKeys = error(handle(aliceChat, "{\"action\":\"send-message\",\"action\":\"heartbeat\"}"));
        assertTrue(duplicateKeys.get("message").asText().contains("Malformed JSON"));

        JsonNode unknownConversation = error(handle(aliceChat, "{\"action\":\"send-message\",\"tempMessageId\":\"t\","
                + "\"conversationId\":\"" + UUID.randomUUID() + "\",\"content\":\"x\"}"));
        assertEquals(404, unknownConversation.get("code").asInt());

        assertEquals(List.of(), stored(id));
        assertTrue(core.push.deliveries().isEmpty());
    }

    @Test
    void fieldsNoActionReadsAreReadPastWhateverTheyHoldAndTheFrameStillCounts() {
        api.open(aliceChat);
        UUID id = direct();
        FrameOutcome outcome = handle(aliceChat, "{\"client\":{\"tabs\":[{\"action\":7,\"content\":null}],"
                + "\"v\":[1.5,true,null,\"" + "z".repeat(10_000) + "\"]},\"action\":\"send-message\","
                + "\"tempMessageId\":\"t\",\"conversationId\":\"" + id + "\",\"content\":\"hi\",\"extra\":{}}");
        assertTrue(outcome.succeeded(), outcome.toString());
        assertEquals("hi", stored(id).get(0).content());

        JsonNode nestedDuplicate = error(handle(aliceChat, "{\"action\":\"heartbeat\",\"x\":{\"a\":1,\"a\":2}}"));
        assertTrue(nestedDuplicate.get("message").asText().startsWith("Malformed JSON frame: Duplicate field 'a'"),
                nestedDuplicate.toString());
        JsonNode trailing = error(handle(aliceChat, "{\"action\":\"heartbeat\"} {\"action\":\"heartbeat\"}"));
        assertTrue(trailing.get("message").asText().startsWith("Malformed JSON frame: Trailing token"),
                trailing.toString());
        JsonNode numberAsTempId = error(handle(aliceChat, "{\"action\":\"send-message\",\"tempMessageId\":42,"
                + "\"conversationId\":\"" + id + "\",\"content\":\"x\"}"));
        assertEquals("'tempMessageId' must be a string", numberAsTempId.get("message").asText());
        assertFalse(numberAsTempId.has("tempMessageId"));
        assertEquals(1, stored(id).size());
    }

    @Test
    void aStrangerMayNotSendOrRead() {
        UUID id = direct();
        Connection carol = new Connection("c-chat", "carol", Channel.CHAT, "node");
        JsonNode send = error(handle(carol, "{\"action\":\"send-message\",\"tempMessageId\":\"t\","
                + "\"conversationId\":\"" + id + "\",\"content\":\"x\"}"));
        assertEquals(403, send.get("code").asInt());
        assertEquals(403, error(handle(carol, "{\"action\":\"read-messages\",\"conversationId\":\"" + id + "\"}"))
                .get("code").asInt());
        assertEquals(List.of(), stored(id));
    }

    @Test
    void updatePresenceChecksItsFields() {
        api.open(alicePresence);
        assertTrue(error(handle(alicePresence, "{\"action\":\"update-presence\",\"title\":\"t\"}"))
                .get("message").asText().contains("'url'"));
        assertTrue(error(handle(alicePresence, "{\"action\":\"update-presence\",\"url\":\"\",\"title\":null}"))
                .get("message").asText().contains("'title'"));
        assertEquals("'url' must be a string", error(handle(alicePresence,
                "{\"action\":\"update-presence\",\"url\":5,\"title\":\"\"}")).get("message").asText());
        assertTrue(core.presence.overview("alice").self().page().isEmpty(), "nothing stored");
    }

    @Test
    void aRetriedSendStoresOnceAndAnswersTheSenderAgain() {
        api.open(aliceChat);
        api.open(bobChat);
        UUID id = direct();
        String frame = "{\"action\":\"send-message\",\"tempMessageId\":\"t-9\",\"conversationId\":\"" + id
                + "\",\"content\":\"once\"}";
        assertTrue(handle(aliceChat, frame).succeeded());
        assertTrue(handle(aliceChat, frame).succeeded());
        assertEquals(1, stored(id).size());
        assertEquals(2, core.push.eventsFor("a-chat").size());
        assertEquals(1, core.push.eventsFor("b-chat").size());
    }

    @Test
    void floodControlAnswers429KeepsCountingJunkAndRecovers() {
        api.open(aliceChat);
        UUID id = direct();
        TokenBucket bucket = new FloodControl(2, 1).newBucket(core.clock);
        String frame = "{\"action\":\"send-message\",\"tempMessageId\":\"t-%d\",\"conversationId\":\"" + id
                + "\",\"content\":\"x\"}";
        assertTrue(api.handle(aliceChat, String.format(frame, 1), bucket).succeeded());
        assertEquals(400, api.handle(aliceChat, "junk", bucket).code());
        FrameOutcome limited = api.handle(aliceChat, String.format(frame, 2), bucket);
        assertEquals(429, limited.code());
        JsonNode event = error(limited);
        assertEquals("send-message", event.get("action").asText());
        assertEquals("t-2", event.get("tempMessageId").asText());
        assertEquals(429, api.handle(aliceChat, "junk", bucket).code());
        assertEquals(1, stored(id).size());

        core.clock.advance(Duration.ofSeconds(1));
        assertTrue(api.handle(aliceChat, String.format(frame, 2), bucket).succeeded());
        assertEquals(2, stored(id).size());
    }

    @Test
    void aRefusedFrameIsAnsweredWithTheCauseNamingItsActionAndTempIdAndNothingIsStored() {
        UUID id = direct();
        FrameOutcome refused = api.refuse(aliceChat, "{\"action\":\"send-message\",\"tempMessageId\":\"t-9\","
                + "\"conversationId\":\"" + id + "\",\"content\":\"x\"}",
                new io.pagenow.core.error.StoreUnavailableException("a store", null));
        assertEquals("send-message", refused.action());
        assertEquals(503, refused.code());
        JsonNode event = error(refused);
        assertEquals("send-message", event.get("action").asText());
        assertEquals("t-9", event.get("tempMessageId").asText());
        assertEquals(0, stored(id).size());

        FrameOutcome garbage = api.refuse(aliceChat, "not json", new io.pagenow.core.error.StoreUnavailableException("a store", null));
        assertEquals(SocketApi.INVALID, garbage.action());
        assertFalse(error(garbage).has("action"));
    }
}
