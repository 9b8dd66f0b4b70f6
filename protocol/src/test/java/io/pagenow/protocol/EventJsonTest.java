package io.pagenow.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pagenow.core.delivery.Event;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

class EventJsonTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final UUID MESSAGE = UUID.fromString("11111111-2222-3333-4444-555555555555");
    private static final UUID CONVERSATION = UUID.fromString("aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee");

    private static JsonNode json(String text) throws Exception {
        return MAPPER.readTree(text);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void newMessageHasEveryFieldWithAMillisecondTimestamp() throws Exception {
        String frame = EventJson.encode(new Event.NewMessage(MESSAGE, "tmp-1", CONVERSATION, "alice", "héllo \"you\"",
                Instant.parse("2026-11-23T10:15:30Z")));
        assertEquals(json("""
                {"type":"new-message","messageId":"11111111-2222-3333-4444-555555555555","tempMessageId":"tmp-1",
                 "conversationId":"aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee","senderId":"alice","content":"héllo \\"you\\"",
                 "sentAt":"2026-11-23T10:15:30.000Z"}"""), json(frame));
        assertEquals(List.of("type", "messageId", "tempMessageId", "conversationId", "senderId", "content", "sentAt"),
                fieldNames(json(frame)));
    }

    @Test
    void readMessages() throws Exception {
        assertEquals(json("""
                {"type":"read-messages","conversationId":"aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee","userId":"bob"}"""),
                json(EventJson.encode(new Event.MessagesRead(CONVERSATION, "bob"))));
    }

    @Test
    void updatePresence() throws Exception {
        assertEquals(json("""
                {"type":"update-presence","userId":"bob","url":"https://news.bbc.co.uk/x","title":"News",
                 "domain":"bbc.co.uk","latestUrl":"https://news.bbc.co.uk/x","latestTitle":"News",
                 "latestDomain":"bbc.co.uk"}"""),
                json(EventJson.encode(new Event.PresenceUpdate("bob", "https://news.bbc.co.uk/x", "News",
                        "bbc.co.uk", "https://news.bbc.co.uk/x", "News", "bbc.co.uk"))));
    }

    @Test
    void typing() throws Exception {
        assertEquals(json("""
                {"type":"typing","conversationId":"aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee","userId":"bob"}"""),
                json(EventJson.encode(new Event.Typing(CONVERSATION, "bob"))));
    }

    @Test
    void messageEditedAndDeleted() throws Exception {
        assertEquals(json("""
                {"type":"message-edited","messageId":"11111111-2222-3333-4444-555555555555",
                 "conversationId":"aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee","content":"fixed","editedAt":"2026-11-23T10:15:30.000Z"}"""),
                json(EventJson.encode(new Event.MessageEdited(MESSAGE, CONVERSATION, "fixed",
                        Instant.parse("2026-11-23T10:15:30Z")))));
        assertEquals(json("""
                {"type":"message-deleted","messageId":"11111111-2222-3333-4444-555555555555",
                 "conversationId":"aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee","deletedAt":"2026-11-23T10:15:30.000Z"}"""),
                json(EventJson.encode(new Event.MessageDeleted(MESSAGE, CONVERSATION,
                        Instant.parse("2026-11-23T10:15:30Z")))));
    }

    @Test
    void presenceTimeout() throws Exception {
        assertEquals(json("{\"type\":\"presence-timeout\",\"userId\":\"carol\"}"),
                json(EventJson.encode(new Event.PresenceTimeout("carol"))));
    }

    @Test
    void errorCarriesActionAndTempMessageIdOnlyWhenKnown() throws Exception {
        assertEquals(json("""
                {"type":"error","action":"send-message","code":404,"message":"gone","tempMessageId":"t"}"""),
                json(EventJson.error("send-message", 404, "gone", "t")));
        assertEquals(json("{\"type\":\"error\",\"code\":400,\"message\":\"bad\"}"),
                json(EventJson.error(null, 400, "bad", null)));
    }

    @Test
    void timestampsKeepMillisecondsInUtc() {
        assertEquals("2026-11-23T10:15:30.123Z", Json.timestamp(Instant.parse("2026-11-23T10:15:30.123456Z")));
        assertEquals("2026-01-02T03:04:05.000Z", Json.timestamp(Instant.parse("2026-01-02T03:04:05Z")));
    }
}
