package io.pagenow.redis;

import io.pagenow.core.delivery.Channel;
import io.pagenow.core.delivery.Connection;
import io.pagenow.core.delivery.Event;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RelayCodecTest {

    private static final String TRICKY = "12:ab~:\n\"é😀\u0000 ~5:x";

    @Test
    void everyEventKindSurvivesTheRoundTrip() {
        List<Event> events = List.of(
                new Event.NewMessage(UUID.randomUUID(), "temp:1", UUID.randomUUID(), "alice", TRICKY,
                        Instant.parse("2025-01-02T03:04:05.123456789Z")),
                new Event.NewMessage(UUID.randomUUID(), null, UUID.randomUUID(), "alice", "", Instant.EPOCH),
                new Event.MessagesRead(UUID.randomUUID(), "bob:1"),
                new Event.PresenceUpdate("carol", "https://x.io/a?b=c:d", TRICKY, "x.io", "", "", ""),
                new Event.PresenceUpdate("carol", null, null, null, null, null, null),
                new Event.PresenceTimeout("dave~"),
                new Event.Typing(UUID.randomUUID(), "erin:2"),
                new Event.MessageEdited(UUID.randomUUID(), UUID.randomUUID(), TRICKY, Instant.parse("2025-01-02T03:04:05.123Z")),
                new Event.MessageDeleted(UUID.randomUUID(), UUID.randomUUID(), Instant.parse("2025-01-02T03:04:06Z")));
        assertEquals(Event.class.getPermittedSubclasses().length, events.stream().map(Object::getClass).distinct().count(),
                "every kind of event is relayed");
        for (Event event : events) {
            List<Connection> targets = List.of(new Connection("id:1", "user~1", event.channel(), "elsewhere"),
                    new Connection("", "u", event.channel(), "elsewhere"));
            String message = RelayCodec.encode(targets, RelayCodec.encodeEvent(event));

            RelayCodec.Relayed relayed = RelayCodec.decode(message, "node-b");

            assertEquals(event, relayed.event());
            assertEquals(List.of(new Connection("id:1", "user~1", event.channel(), "node-b"),
                    new Connection("", "u", event.channel(), "node-b")), relayed.targets());
        }
    }

    @Test
    void targetsTakeTheEventsChannel() {
        String message = RelayCodec.encode(List.of(new Connection("p", "u", Channel.PRESENCE, "a")),
                RelayCodec.encodeEvent(new Event.PresenceTimeout("x")));

        assertEquals(Channel.PRESENCE, RelayCodec.decode(message, "b").targets().get(0).channel());
    }

    @Test
    void malformedMessagesAreRefusedWithoutQuotingThem() {
        Event event = new Event.NewMessage(UUID.randomUUID(), "t", UUID.randomUUID(), "alice", "secret words",
                Instant.EPOCH);
        String good = RelayCodec.encode(List.of(new Connection("c", "u", Channel.CHAT, "a")),
                RelayCodec.encodeEvent(event));
        List<String> bad = List.of("", "2" + good.substring(1), good.substring(0, good.length() - 3), good + "x",
                good.replace("N", "Z"), "1" + "-1:", "1" + "3:abc", "1" + "1:1" + "99:c");
        for (String message : bad) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> RelayCodec.decode(message, "b"), () -> "accepted " + message);
            assertFalse(String.valueOf(e.getMessage()).contains("secret"));
        }
    }
}
