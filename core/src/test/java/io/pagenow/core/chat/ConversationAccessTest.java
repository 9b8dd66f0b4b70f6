package io.pagenow.core.chat;

import io.pagenow.core.error.ForbiddenException;
import io.pagenow.core.error.NotFoundException;
import io.pagenow.core.error.PageNowException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static io.pagenow.core.chat.ChatWorld.ALICE;
import static io.pagenow.core.chat.ChatWorld.BOB;
import static io.pagenow.core.chat.ChatWorld.CAROL;
import static io.pagenow.core.chat.ChatWorld.DAVE;
import static io.pagenow.core.chat.ChatWorld.assertInvalid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ConversationAccessTest {

    private final ChatWorld world = new ChatWorld();

    @Test
    void participantsSeeTheConversationAndItsParticipants() {
        UUID group = world.group(ALICE, "Plans", BOB, CAROL);

        Conversation seenByCarol = world.chat.conversation(CAROL, group);

        assertEquals(group, seenByCarol.id());
        assertEquals("Plans", seenByCarol.title());
        assertEquals(List.of(ALICE, BOB, CAROL), world.chat.participants(CAROL, group), "the caller included");
        assertEquals(List.of(ALICE, CAROL), seenByCarol.othersThan(BOB));
        assertEquals(Optional.of(ALICE), seenByCarol.anyOtherThan(BOB));
    }

    @Test
    void nonParticipantsAreRefusedEverything() {
        UUID direct = world.direct(ALICE, BOB);
        Message message = world.send(ALICE, direct, "private");
        world.push.clear();

        assertForbidden(() -> world.chat.conversation(DAVE, direct));
        assertForbidden(() -> world.chat.participants(DAVE, direct));
        assertForbidden(() -> world.chat.messages(DAVE, direct, MessageQuery.newest(20)));
        assertForbidden(() -> world.chat.messages(DAVE, direct,
                new MessageQuery(20, 0, MessageQuery.Order.DESC, Optional.of(message.id()), Optional.empty())));
        assertForbidden(() -> world.chat.send(DAVE, new SendMessage("t-dave", direct, "let me in")));
        assertForbidden(() -> world.chat.read(DAVE, direct));

        assertEquals(List.of(message), world.chat.messages(ALICE, direct, MessageQuery.newest(20)), "nothing stored");
        assertEquals(List.of(), world.push.deliveries(), "nothing pushed");
        assertEquals(List.of(), world.chat.conversations(DAVE, ChatWorld.any()));
    }

    @Test
    void unknownConversationIsNotFoundForEveryone() {
        UUID unknown = UUID.randomUUID();

        assertNotFound(() -> world.chat.conversation(ALICE, unknown));
        assertNotFound(() -> world.chat.participants(ALICE, unknown));
        assertNotFound(() -> world.chat.messages(ALICE, unknown, MessageQuery.newest(20)));
        assertNotFound(() -> world.chat.send(ALICE, new SendMessage("t-1", unknown, "hello?")));
        assertNotFound(() -> world.chat.read(ALICE, unknown));
    }

    @Test
    void missingConversationIdIsBadInput() {
        assertInvalid("conversationId", () -> world.chat.conversation(ALICE, null));
        assertInvalid("conversationId", () -> world.chat.participants(ALICE, null));
        assertInvalid("conversationId", () -> world.chat.messages(ALICE, null, MessageQuery.newest(20)));
        assertInvalid("conversationId", () -> world.chat.send(ALICE, new SendMessage("t-1", null, "hi")));
        assertInvalid("conversationId", () -> world.chat.read(ALICE, null));
    }

    @Test
    void directConversationIsFoundFromEitherSide() {
        UUID direct = world.direct(ALICE, BOB);
        world.group(ALICE, "Group", CAROL, DAVE);

        assertEquals(Optional.of(direct), world.chat.directConversation(ALICE, BOB));
        assertEquals(Optional.of(direct), world.chat.directConversation(BOB, ALICE));
        assertEquals(Optional.empty(), world.chat.directConversation(ALICE, CAROL), "a shared group is not direct");
        assertEquals(Optional.empty(), world.chat.directConversation(CAROL, DAVE));
        assertEquals(Optional.empty(), world.chat.directConversation(ALICE, ALICE));
    }

    @Test
    void directConversationLookupNeedsAUserId() {
        assertInvalid("userId", () -> world.chat.directConversation(ALICE, null));
        assertInvalid("userId", () -> world.chat.directConversation(ALICE, ""));
        assertInvalid("userId", () -> world.chat.directConversation(ALICE, "u".repeat(129)));
    }

    private static void assertForbidden(Executable action) {
        PageNowException e = assertThrows(ForbiddenException.class, action);
        assertEquals(403, e.status());
    }

    private static void assertNotFound(Executable action) {
        PageNowException e = assertThrows(NotFoundException.class, action);
        assertEquals(404, e.status());
    }
}
