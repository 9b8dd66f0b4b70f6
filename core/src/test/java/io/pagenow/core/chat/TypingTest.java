package io.pagenow.core.chat;

import io.pagenow.core.delivery.Connection;
import io.pagenow.core.delivery.Event;
import io.pagenow.core.error.ForbiddenException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static io.pagenow.core.chat.ChatWorld.ALICE;
import static io.pagenow.core.chat.ChatWorld.BOB;
import static io.pagenow.core.chat.ChatWorld.CAROL;
import static io.pagenow.core.chat.ChatWorld.DAVE;
import static io.pagenow.core.chat.ChatWorld.ids;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TypingTest {

    private final ChatWorld world = new ChatWorld();
    private Connection aliceTab;
    private Connection alicePhone;
    private Connection bobTab;
    private Connection carolTab;
    private Connection daveTab;
    private UUID group;

    @BeforeEach
    void everyoneOnline() {
        aliceTab = world.chatSocket(ALICE);
        alicePhone = world.chatSocket(ALICE);
        bobTab = world.chatSocket(BOB);
        carolTab = world.chatSocket(CAROL);
        daveTab = world.chatSocket(DAVE);
        world.presenceSocket(BOB);
        group = world.group(ALICE, "Plans", BOB, CAROL);
    }

    @Test
    void typingReachesTheOtherParticipantsChatConnectionsOnly() {
        world.chat.typing(ALICE, group);

        Event.Typing expected = new Event.Typing(group, ALICE);
        assertEquals(ids(bobTab, carolTab), world.push.recipientsOf(expected));
        assertEquals(2, world.push.deliveries().size(), "not the sender's own tabs, presence sockets or strangers");
        assertEquals(List.of(), world.push.eventsFor(aliceTab.id()));
        assertEquals(List.of(), world.push.eventsFor(alicePhone.id()));
        assertEquals(List.of(), world.push.eventsFor(daveTab.id()));
    }

    @Test
    void oneTypingPerUserAndConversationIsForwardedPerTwoSeconds() {
        UUID direct = world.direct(ALICE, BOB);
        world.chat.typing(ALICE, group);
        world.clock.advance(Duration.ofMillis(1999));
        world.chat.typing(ALICE, group);
        assertEquals(2, world.push.deliveries().size(), "the second within 2 s is dropped");

        world.chat.typing(BOB, group);
        world.chat.typing(ALICE, direct);
        assertEquals(2 + 3 + 1, world.push.deliveries().size(), "other users and conversations are counted apart");

        world.clock.advance(Duration.ofMillis(1));
        world.chat.typing(ALICE, group);
        assertEquals(2 + 3 + 1 + 2, world.push.deliveries().size(), "2 s after the last forwarded one, again");
    }

    @Test
    void typingIsNeverStored() {
        world.chat.typing(ALICE, group);

        assertEquals(List.of(), world.chat.messages(BOB, group, MessageQuery.newest(20)));
        assertEquals(List.of(), world.chat.conversations(BOB, ChatWorld.any()));
    }

    @Test
    void aNonParticipantIsRefusedWith403AndNothingIsSent() {
        ForbiddenException refused = assertThrows(ForbiddenException.class, () -> world.chat.typing(DAVE, group));

        assertEquals(403, refused.status());
        assertEquals(List.of(), world.push.deliveries());
    }
}
