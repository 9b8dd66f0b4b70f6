package io.pagenow.core.chat;

import io.pagenow.core.chat.port.in.Chat;
import io.pagenow.core.delivery.Deliveries;
import io.pagenow.core.error.InvalidInputException;
import io.pagenow.core.error.NotFoundException;
import io.pagenow.core.memory.InMemoryConnectionRegistry;
import io.pagenow.core.memory.InMemoryConversationStore;
import io.pagenow.core.memory.InMemorySocialGraph;
import io.pagenow.core.testing.MutableClock;
import io.pagenow.core.testing.RecordingClientPush;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A group's size is bounded, and with a user directory only its users can be participants. */
class GroupLimitsTest {

    private final InMemoryConversationStore store = new InMemoryConversationStore();
    private final MutableClock clock = MutableClock.startingAt("2026-03-01T09:00:00Z");

    private Chat chat(int maxGroup, Optional<InMemorySocialGraph> directory) {
        return ChatCore.create(store, new Deliveries(new InMemoryConnectionRegistry(), new RecordingClientPush()),
                clock, maxGroup, directory.map(g -> g));
    }

    private static List<String> users(int count) {
        return IntStream.range(0, count).mapToObj(i -> "user-" + i).toList();
    }

    @Test
    void aGroupHoldsAtMostTheLimitItsCreatorIncluded() {
        Chat chat = chat(5, Optional.empty());
        assertEquals(5, chat.createConversation("alice", new CreateConversation(users(4), true, "Five"))
                .participantIds().size());
        InvalidInputException tooMany = assertThrows(InvalidInputException.class,
                () -> chat.createConversation("alice", new CreateConversation(users(5), true, "Six")));
        assertEquals("'recipientIdArr' may name at most 4 other users (a group holds at most 5 participants), named 5",
                tooMany.getMessage());
        List<String> repeated = new ArrayList<>(users(4));
        repeated.addAll(users(4));
        repeated.add("alice");
        assertEquals(5, chat.createConversation("alice", new CreateConversation(repeated, true, "Repeats"))
                .participantIds().size(), "repeats and the creator count once");
    }

    @Test
    void theDefaultIsOneHundred() {
        Chat chat = ChatCore.create(store, new Deliveries(new InMemoryConnectionRegistry(), new RecordingClientPush()),
                clock);
        chat.createConversation("alice", new CreateConversation(users(99), true, "Hundred"));
        assertThrows(InvalidInputException.class,
                () -> chat.createConversation("alice", new CreateConversation(users(100), true, "101")));
    }

    @Test
    void withADirectoryEveryParticipantMustBeKnown() {
        Chat chat = chat(100, Optional.of(InMemorySocialGraph.demo()));
        NotFoundException group = assertThrows(NotFoundException.class, () -> chat.createConversation("alice",
                new CreateConversation(List.of("bob", "mallory", "carol", "trent"), true, "Plans")));
        assertEquals("Unknown users in 'recipientIdArr': mallory, trent", group.getMessage());
        assertEquals(404, group.status());
        assertThrows(NotFoundException.class,
                () -> chat.createConversation("alice", new CreateConversation(List.of("mallory"), false, null)));
        NotFoundException many = assertThrows(NotFoundException.class,
                () -> chat.createConversation("alice", new CreateConversation(users(20), true, "Many")));
        assertEquals("Unknown users in 'recipientIdArr': user-0, user-1, user-2, user-3, user-4, user-5, user-6,"
                + " user-7, user-8, user-9 and 10 more", many.getMessage());
        assertEquals(Optional.empty(), store.findDirect("alice", "mallory"), "nothing created");

        UUID withDave = chat.createConversation("alice", new CreateConversation(List.of("dave"), false, null)).id();
        assertEquals(Optional.of(withDave), store.findDirect("alice", "dave"), "a direct conversation needs no friendship");
    }
}
