package io.pagenow.core.chat;

import io.pagenow.core.delivery.Connection;
import io.pagenow.core.delivery.Event;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static io.pagenow.core.chat.ChatWorld.ALICE;
import static io.pagenow.core.chat.ChatWorld.BOB;
import static io.pagenow.core.chat.ChatWorld.CAROL;
import static io.pagenow.core.chat.ChatWorld.DAVE;
import static io.pagenow.core.chat.ChatWorld.ids;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReadMessagesTest {

    private final ChatWorld world = new ChatWorld();
    private Connection aliceTab;
    private Connection alicePhone;
    private Connection bobTab;
    private Connection bobPresence;
    private Connection carolTab;
    private Connection daveTab;

    @BeforeEach
    void everyoneOnline() {
        aliceTab = world.chatSocket(ALICE);
        alicePhone = world.chatSocket(ALICE);
        bobTab = world.chatSocket(BOB);
        bobPresence = world.presenceSocket(BOB);
        carolTab = world.chatSocket(CAROL);
        daveTab = world.chatSocket(DAVE);
    }

    @Test
    void readMovesTheWatermarkToTheLatestMessage() {
        UUID direct = world.direct(ALICE, BOB);
        world.send(ALICE, direct, "one");
        world.send(ALICE, direct, "two");
        world.send(ALICE, direct, "three");
        assertEquals(3, summaryOf(BOB).unreadCount());

        world.chat.read(BOB, direct);

        ConversationSummary after = summaryOf(BOB);
        assertTrue(after.read());
        assertEquals(0, after.unreadCount());
        world.send(ALICE, direct, "four");
        assertEquals(1, summaryOf(BOB).unreadCount());
        assertFalse(summaryOf(BOB).read());
    }

    @Test
    void readMessagesGoesToTheReaderAndEveryOtherParticipant() {
        UUID group = world.group(ALICE, "Group", BOB, CAROL);
        world.send(ALICE, group, "hi");
        world.push.clear();

        world.chat.read(BOB, group);

        Event.MessagesRead expected = new Event.MessagesRead(group, BOB);
        assertEquals(ids(aliceTab, alicePhone, bobTab, carolTab), world.push.recipientsOf(expected));
        assertEquals(4, world.push.deliveries().size(), "not to presence sockets or strangers");
        assertEquals(List.of(), world.push.eventsFor(bobPresence.id()));
        assertEquals(List.of(), world.push.eventsFor(daveTab.id()));
    }

    @Test
    void readingAgainChangesNothingButIsStillAnnounced() {
        UUID direct = world.direct(ALICE, BOB);
        world.send(ALICE, direct, "hi");
        world.chat.read(BOB, direct);
        world.push.clear();

        world.chat.read(BOB, direct);

        assertEquals(0, summaryOf(BOB).unreadCount());
        assertEquals(ids(aliceTab, alicePhone, bobTab), world.push.recipientsOf(new Event.MessagesRead(direct, BOB)));
    }

    @Test
    void readingAConversationWithoutMessagesIsAllowed() {
        UUID direct = world.direct(ALICE, BOB);

        world.chat.read(BOB, direct);

        assertEquals(List.of(), world.chat.conversations(BOB, ChatWorld.any()));
        assertEquals(ids(aliceTab, alicePhone, bobTab), world.push.recipientsOf(new Event.MessagesRead(direct, BOB)));
    }

    private ConversationSummary summaryOf(String userId) {
        List<ConversationSummary> list = world.chat.conversations(userId, ChatWorld.any());
        assertEquals(1, list.size());
        return list.get(0);
    }
}
