package io.pagenow.core.chat;

import io.pagenow.core.delivery.Connection;
import io.pagenow.core.delivery.Event;
import io.pagenow.core.error.ForbiddenException;
import io.pagenow.core.error.NotFoundException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static io.pagenow.core.chat.ChatWorld.ALICE;
import static io.pagenow.core.chat.ChatWorld.BOB;
import static io.pagenow.core.chat.ChatWorld.CAROL;
import static io.pagenow.core.chat.ChatWorld.DAVE;
import static io.pagenow.core.chat.ChatWorld.assertInvalid;
import static io.pagenow.core.chat.ChatWorld.ids;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class EditAndDeleteTest {

    private final ChatWorld world = new ChatWorld();
    private Connection aliceTab;
    private Connection alicePhone;
    private Connection bobTab;
    private Connection carolTab;
    private UUID direct;
    private Message first;
    private Message latest;

    @BeforeEach
    void aConversation() {
        aliceTab = world.chatSocket(ALICE);
        alicePhone = world.chatSocket(ALICE);
        bobTab = world.chatSocket(BOB);
        carolTab = world.chatSocket(CAROL);
        world.chatSocket(DAVE);
        direct = world.direct(ALICE, BOB);
        first = world.send(ALICE, direct, "helo");
        latest = world.send(ALICE, direct, "latst");
        world.clock.advance(Duration.ofSeconds(5));
        world.push.clear();
    }

    @Test
    void anEditChangesTheContentAndReachesEveryParticipant() {
        Message edited = world.chat.edit(ALICE, first.id(), "hello");

        Instant now = Instant.parse("2026-03-01T09:00:07.123Z");
        assertEquals(first.edited("hello", now), edited);
        Event.MessageEdited expected = new Event.MessageEdited(first.id(), direct, "hello", now);
        assertEquals(ids(aliceTab, alicePhone, bobTab), world.push.recipientsOf(expected));
        assertEquals(3, world.push.deliveries().size());
        assertEquals(List.of(latest, edited), world.chat.messages(BOB, direct, MessageQuery.newest(20)));
    }

    @Test
    void aDeleteLeavesATombstoneAndReachesEveryParticipant() {
        Message tombstone = world.chat.delete(ALICE, latest.id());

        Instant now = Instant.parse("2026-03-01T09:00:07.123Z");
        assertEquals("", tombstone.content());
        assertEquals(now, tombstone.deletedAt());
        assertEquals(ids(aliceTab, alicePhone, bobTab),
                world.push.recipientsOf(new Event.MessageDeleted(latest.id(), direct, now)));
        assertEquals(List.of(tombstone, first), world.chat.messages(BOB, direct, MessageQuery.newest(20)));
        assertEquals("", world.chat.conversations(BOB, ChatWorld.any()).get(0).latest().content(),
                "the list's latest content follows the delete");
    }

    @Test
    void editingTheLatestMessageIsWhatTheListShows() {
        world.chat.edit(ALICE, latest.id(), "latest");

        assertEquals("latest", world.chat.conversations(BOB, ChatWorld.any()).get(0).latest().content());
    }

    @Test
    void someoneElsesMessageIs403AndNothingChanges() {
        UUID group = world.group(BOB, "g", ALICE, CAROL);
        Message bobs = world.send(BOB, group, "mine");
        world.push.clear();

        assertEquals(403, assertThrows(ForbiddenException.class, () -> world.chat.edit(ALICE, bobs.id(), "x")).status());
        assertEquals(403, assertThrows(ForbiddenException.class, () -> world.chat.delete(CAROL, bobs.id())).status());
        assertEquals(403, assertThrows(ForbiddenException.class, () -> world.chat.delete(DAVE, bobs.id())).status());

        assertEquals(List.of(bobs), world.chat.messages(BOB, group, MessageQuery.newest(20)));
        assertEquals(List.of(), world.push.deliveries());
    }

    @Test
    void anUnknownOrDeletedMessageIs404AndNothingChanges() {
        assertEquals(404, assertThrows(NotFoundException.class,
                () -> world.chat.edit(ALICE, UUID.randomUUID(), "x")).status());
        assertEquals(404, assertThrows(NotFoundException.class,
                () -> world.chat.delete(ALICE, UUID.randomUUID())).status());
        Message tombstone = world.chat.delete(ALICE, first.id());
        world.push.clear();

        assertEquals(404, assertThrows(NotFoundException.class, () -> world.chat.edit(ALICE, first.id(), "x")).status());
        assertEquals(404, assertThrows(NotFoundException.class, () -> world.chat.delete(ALICE, first.id())).status());

        assertEquals(List.of(latest, tombstone), world.chat.messages(ALICE, direct, MessageQuery.newest(20)));
        assertEquals(List.of(), world.push.deliveries());
    }

    @Test
    void anEditFollowsTheContentRulesOfASend() {
        assertInvalid("content", () -> world.chat.edit(ALICE, first.id(), ""));
        assertInvalid("content", () -> world.chat.edit(ALICE, first.id(), "x".repeat(1001)));
        assertInvalid("content", () -> world.chat.edit(ALICE, first.id(), null));
        assertInvalid("content", () -> world.chat.edit(ALICE, first.id(), "a\u0000b"));
        assertInvalid("messageId", () -> world.chat.edit(ALICE, null, "x"));

        assertEquals(List.of(latest, first), world.chat.messages(ALICE, direct, MessageQuery.newest(20)));
        assertEquals(List.of(), world.push.deliveries());
    }
}
