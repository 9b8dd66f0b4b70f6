package io.pagenow.core.chat;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static io.pagenow.core.chat.ChatWorld.ALICE;
import static io.pagenow.core.chat.ChatWorld.BOB;
import static io.pagenow.core.chat.ChatWorld.CAROL;
import static io.pagenow.core.chat.ChatWorld.DAVE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConversationListTest {

    private final ChatWorld world = new ChatWorld();

    @Test
    void listIsNewestLatestMessageFirstWithoutSilentConversations() {
        UUID withBob = world.direct(ALICE, BOB);
        UUID group = world.group(CAROL, "Group", ALICE, BOB);
        UUID silent = world.direct(ALICE, DAVE);
        world.send(ALICE, withBob, "to bob");
        world.send(CAROL, group, "to the group");

        assertEquals(List.of(group, withBob), ids(world.chat.conversations(ALICE, ChatWorld.any())));
        assertFalse(ids(world.chat.conversations(ALICE, ChatWorld.any())).contains(silent));

        world.send(BOB, withBob, "bob answers");

        assertEquals(List.of(withBob, group), ids(world.chat.conversations(ALICE, ChatWorld.any())));
        assertEquals(List.of(), world.chat.conversations(DAVE, ChatWorld.any()));
    }

    @Test
    void oneRowPerConversationWithItsLatestMessage() {
        UUID group = world.group(ALICE, "Group", BOB, CAROL);
        world.send(ALICE, group, "one");
        world.send(BOB, group, "two");
        Message latest = world.send(CAROL, group, "three");

        List<ConversationSummary> list = world.chat.conversations(ALICE, ChatWorld.any());

        assertEquals(1, list.size());
        ConversationSummary row = list.get(0);
        assertEquals(latest, row.latest());
        assertEquals("three", row.latest().content());
        assertEquals(CAROL, row.latest().senderId());
        assertEquals("Group", row.conversation().title());
        assertTrue(row.conversation().group());
    }

    @Test
    void participantsAreListedInAStableOrderWithTheOthersOfTheCaller() {
        UUID group = world.group(ALICE, "Group", BOB, CAROL);
        world.send(ALICE, group, "hi");

        Conversation forBob = world.chat.conversations(BOB, ChatWorld.any()).get(0).conversation();

        assertEquals(List.of(ALICE, BOB, CAROL), forBob.participantIds());
        assertEquals(List.of(ALICE, CAROL), forBob.othersThan(BOB), "participantIds of the wire");
        assertEquals(Optional.of(ALICE), forBob.anyOtherThan(BOB), "participantId of the wire");
    }

    @Test
    void unreadCountsMessagesPastTheCallersWatermark() {
        UUID withBob = world.direct(ALICE, BOB);
        UUID group = world.group(CAROL, "Group", ALICE, BOB);
        world.send(BOB, withBob, "1");
        world.send(BOB, withBob, "2");
        world.send(BOB, withBob, "3");
        world.send(CAROL, group, "a");
        world.send(CAROL, group, "b");

        assertEquals(List.of(2L, 3L), unreadCounts(ALICE));
        world.chat.read(ALICE, withBob);
        assertEquals(List.of(2L, 0L), unreadCounts(ALICE));
        world.send(ALICE, group, "c");
        assertEquals(List.of(0L, 0L), unreadCounts(ALICE), "sending reads everything before it");
        assertEquals(List.of(1L), unreadCounts(CAROL));
        assertEquals(List.of(3L, 0L), unreadCounts(BOB), "bob has read none of the group, all of his own");
    }

    @Test
    void readFilterKeepsOnlyRowsOfThatReadState() {
        UUID withBob = world.direct(ALICE, BOB);
        UUID withCarol = world.direct(ALICE, CAROL);
        UUID withDave = world.direct(DAVE, ALICE);
        world.send(BOB, withBob, "unread by alice");
        world.send(ALICE, withCarol, "sent by alice");
        world.send(DAVE, withDave, "read by alice");
        world.chat.read(ALICE, withDave);

        assertEquals(List.of(withBob), ids(world.chat.conversations(ALICE, Optional.of(false))));
        assertEquals(List.of(withDave, withCarol), ids(world.chat.conversations(ALICE, Optional.of(true))));
        assertEquals(List.of(withDave, withCarol, withBob), ids(world.chat.conversations(ALICE, Optional.empty())));
        assertEquals(List.of(withBob), ids(world.chat.conversations(BOB, Optional.of(true))), "bob sent it");
        assertEquals(List.of(), world.chat.conversations(BOB, Optional.of(false)));
    }

    private List<Long> unreadCounts(String userId) {
        return world.chat.conversations(userId, ChatWorld.any()).stream().map(ConversationSummary::unreadCount).toList();
    }

    private static List<UUID> ids(List<ConversationSummary> rows) {
        return rows.stream().map(r -> r.conversation().id()).toList();
    }
}
