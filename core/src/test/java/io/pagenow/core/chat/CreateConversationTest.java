package io.pagenow.core.chat;

import io.pagenow.core.testing.Concurrently;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static io.pagenow.core.chat.ChatWorld.ALICE;
import static io.pagenow.core.chat.ChatWorld.BOB;
import static io.pagenow.core.chat.ChatWorld.CAROL;
import static io.pagenow.core.chat.ChatWorld.DAVE;
import static io.pagenow.core.chat.ChatWorld.assertInvalid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CreateConversationTest {

    private final ChatWorld world = new ChatWorld();

    @Test
    void directConversationHasTheCallerAndTheOtherUser() {
        Conversation created = world.chat.createConversation(ALICE,
                new CreateConversation(List.of(BOB), false, "ignored for direct"));

        assertFalse(created.group());
        assertEquals("", created.title());
        assertEquals(ALICE, created.createdBy());
        assertEquals(Instant.parse("2026-03-01T09:00:00.123Z"), created.createdAt(), "milliseconds, as stored");
        assertEquals(List.of(ALICE, BOB), created.participantIds());
        assertEquals(Optional.of(created.id()), world.chat.directConversation(BOB, ALICE));
        assertEquals(created, world.chat.conversation(BOB, created.id()));
    }

    @Test
    void existingDirectConversationIsReturnedWhoeverCreatesIt() {
        UUID first = world.direct(ALICE, BOB);

        assertEquals(first, world.direct(BOB, ALICE));
        assertEquals(first, world.direct(ALICE, BOB));
        assertEquals(ALICE, world.chat.conversation(BOB, first).createdBy());
        assertNotEquals(first, world.direct(ALICE, CAROL));
    }

    @Test
    void duplicatesAndTheCallerAreDroppedFromADirectRequest() {
        Conversation created = world.chat.createConversation(ALICE,
                new CreateConversation(List.of(BOB, ALICE, BOB), false, null));

        assertEquals(List.of(ALICE, BOB), created.participantIds());
        assertFalse(created.group());
    }

    @Test
    void concurrentDirectCreatesEndWithOneConversation() throws Exception {
        List<UUID> ids = Concurrently.run(12, i -> i % 2 == 0 ? world.direct(ALICE, BOB) : world.direct(BOB, ALICE));

        assertEquals(1, ids.stream().distinct().count());
    }

    @Test
    void directConversationNeedsExactlyOneOtherUser() {
        assertInvalid("recipientIdArr", () -> world.chat.createConversation(ALICE,
                new CreateConversation(List.of(BOB, CAROL), false, null)));
        assertInvalid("recipientIdArr", () -> world.chat.createConversation(ALICE,
                new CreateConversation(List.of(ALICE), false, null)));

        assertEquals(Optional.empty(), world.chat.directConversation(ALICE, BOB), "nothing stored");
        assertEquals(List.of(), world.store.activityOf(ALICE));
    }

    @Test
    void recipientsAreRequired() {
        assertEquals("Missing 'recipientIdArr'", assertInvalid("recipientIdArr",
                () -> world.chat.createConversation(ALICE, new CreateConversation(null, false, null))).getMessage());
        assertInvalid("recipientIdArr",
                () -> world.chat.createConversation(ALICE, new CreateConversation(List.of(), true, "Title")));
        assertInvalid("recipientIdArr", () -> world.chat.createConversation(ALICE,
                new CreateConversation(Arrays.asList(BOB, null), true, "Title")));
    }

    @Test
    void recipientIdsMustBeOneTo128Characters() {
        assertInvalid("recipientIdArr", () -> world.chat.createConversation(ALICE,
                new CreateConversation(List.of(""), false, null)));
        assertInvalid("recipientIdArr", () -> world.chat.createConversation(ALICE,
                new CreateConversation(List.of("x".repeat(129)), false, null)));

        Conversation longest = world.chat.createConversation(ALICE,
                new CreateConversation(List.of("x".repeat(128)), false, null));
        assertTrue(longest.hasParticipant("x".repeat(128)));
    }

    @Test
    void isGroupIsRequired() {
        assertEquals("Missing 'isGroup'", assertInvalid("isGroup",
                () -> world.chat.createConversation(ALICE, new CreateConversation(List.of(BOB), null, null)))
                .getMessage());
    }

    @Test
    void groupHasTheCallerFirstThenTheRecipientsWithoutDuplicates() {
        Conversation group = world.chat.createConversation(ALICE,
                new CreateConversation(List.of(BOB, CAROL, BOB, ALICE, DAVE), true, "Weekend"));

        assertTrue(group.group());
        assertEquals("Weekend", group.title());
        assertEquals(ALICE, group.createdBy());
        assertEquals(List.of(ALICE, BOB, CAROL, DAVE), group.participantIds());
        assertEquals(group, world.chat.conversation(DAVE, group.id()));
    }

    @Test
    void everyGroupCreateMakesANewGroup() {
        assertNotEquals(world.group(ALICE, "Same", BOB, CAROL), world.group(ALICE, "Same", BOB, CAROL));
    }

    @Test
    void groupOfTwoDoesNotBecomeTheirDirectConversation() {
        UUID group = world.group(ALICE, "Three of us", BOB, CAROL);

        assertEquals(Optional.empty(), world.chat.directConversation(ALICE, BOB));
        assertNotEquals(group, world.direct(ALICE, BOB));
    }

    @Test
    void groupNeedsAtLeastTwoOtherUsers() {
        assertInvalid("recipientIdArr", () -> world.chat.createConversation(ALICE,
                new CreateConversation(List.of(BOB), true, "Pair")));
        assertInvalid("recipientIdArr", () -> world.chat.createConversation(ALICE,
                new CreateConversation(List.of(BOB, BOB, ALICE), true, "Pair in disguise")));

        assertEquals(List.of(), world.store.activityOf(BOB));
    }

    @Test
    void groupNeedsANonBlankTitleOfAtMost300Characters() {
        CreateConversation noTitle = new CreateConversation(List.of(BOB, CAROL), true, null);
        assertEquals("Missing 'title'", assertInvalid("title",
                () -> world.chat.createConversation(ALICE, noTitle)).getMessage());
        assertInvalid("title", () -> world.chat.createConversation(ALICE,
                new CreateConversation(List.of(BOB, CAROL), true, "")));
        assertInvalid("title", () -> world.chat.createConversation(ALICE,
                new CreateConversation(List.of(BOB, CAROL), true, " \t ")));
        assertInvalid("title", () -> world.chat.createConversation(ALICE,
                new CreateConversation(List.of(BOB, CAROL), true, "t".repeat(301))));

        Conversation longest = world.chat.createConversation(ALICE,
                new CreateConversation(List.of(BOB, CAROL), true, "t".repeat(300)));
        assertEquals(300, longest.title().length());
    }
}
