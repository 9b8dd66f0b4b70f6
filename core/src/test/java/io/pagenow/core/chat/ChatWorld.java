package io.pagenow.core.chat;

import io.pagenow.core.chat.port.in.Chat;
import io.pagenow.core.delivery.Channel;
import io.pagenow.core.delivery.Connection;
import io.pagenow.core.delivery.Deliveries;
import io.pagenow.core.delivery.Event;
import io.pagenow.core.error.InvalidInputException;
import io.pagenow.core.memory.InMemoryConnectionRegistry;
import io.pagenow.core.memory.InMemoryConversationStore;
import io.pagenow.core.testing.MutableClock;
import io.pagenow.core.testing.RecordingClientPush;
import org.junit.jupiter.api.function.Executable;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The chat use cases on the in-memory adapters, with a hand-moved clock and recorded pushes. */
final class ChatWorld {

    static final String ALICE = "alice";
    static final String BOB = "bob";
    static final String CAROL = "carol";
    static final String DAVE = "dave";

    /** Microseconds on purpose: the core hands out milliseconds, as the stores keep them. */
    final MutableClock clock = MutableClock.startingAt("2026-03-01T09:00:00.123456Z");
    final InMemoryConversationStore store = new InMemoryConversationStore();
    final InMemoryConnectionRegistry registry = new InMemoryConnectionRegistry();
    final RecordingClientPush push = new RecordingClientPush();
    final Chat chat = ChatCore.create(store, new Deliveries(registry, push), clock);

    private final AtomicInteger ids = new AtomicInteger();

    Connection chatSocket(String userId) {
        Connection connection = new Connection(userId + "-chat-" + ids.incrementAndGet(), userId, Channel.CHAT, "node-1");
        chat.connect(connection);
        return connection;
    }

    /** A presence socket of the same user, registered as the presence side would. */
    Connection presenceSocket(String userId) {
        Connection connection = new Connection(userId + "-presence-" + ids.incrementAndGet(), userId,
                Channel.PRESENCE, "node-1");
        registry.register(connection);
        return connection;
    }

    UUID direct(String caller, String other) {
        return chat.createConversation(caller, new CreateConversation(List.of(other), false, null)).id();
    }

    UUID group(String caller, String title, String... others) {
        return chat.createConversation(caller, new CreateConversation(List.of(others), true, title)).id();
    }

    /** Sends with a fresh temporary id, one second after the previous action. */
    Message send(String caller, UUID conversationId, String content) {
        clock.advance(Duration.ofSeconds(1));
        return chat.send(caller, new SendMessage("tmp-" + ids.incrementAndGet(), conversationId, content));
    }

    static Event.NewMessage newMessage(Message message) {
        return new Event.NewMessage(message.id(), message.tempMessageId(), message.conversationId(),
                message.senderId(), message.content(), message.sentAt());
    }

    static Set<String> ids(Connection... connections) {
        return Set.of(connections).stream().map(Connection::id).collect(Collectors.toSet());
    }

    static List<String> contents(List<Message> messages) {
        return messages.stream().map(Message::content).toList();
    }

    /** A 400 whose message names the field, as PROTOCOL.md asks. */
    static InvalidInputException assertInvalid(String field, Executable action) {
        InvalidInputException e = assertThrows(InvalidInputException.class, action);
        assertEquals(400, e.status());
        assertTrue(e.getMessage().contains("'" + field + "'"), "message names '" + field + "': " + e.getMessage());
        return e;
    }

    static Optional<Boolean> any() {
        return Optional.empty();
    }
}
