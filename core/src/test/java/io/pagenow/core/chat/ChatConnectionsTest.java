package io.pagenow.core.chat;

import io.pagenow.core.delivery.Channel;
import io.pagenow.core.delivery.Connection;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static io.pagenow.core.chat.ChatWorld.ALICE;
import static io.pagenow.core.chat.ChatWorld.BOB;
import static io.pagenow.core.chat.ChatWorld.ids;
import static io.pagenow.core.chat.ChatWorld.newMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ChatConnectionsTest {

    private final ChatWorld world = new ChatWorld();

    @Test
    void aClosedConnectionGetsNothingMore() {
        Connection aliceTab = world.chatSocket(ALICE);
        Connection alicePhone = world.chatSocket(ALICE);
        Connection bobTab = world.chatSocket(BOB);
        UUID direct = world.direct(ALICE, BOB);

        world.chat.disconnect(alicePhone.id());
        Message message = world.send(BOB, direct, "still there?");

        assertEquals(ids(aliceTab, bobTab), world.push.recipientsOf(newMessage(message)));
        world.chat.disconnect(alicePhone.id());
        world.chat.disconnect("never-connected");
    }

    @Test
    void connectionsFoundGoneArePushedNoMoreAndForgotten() {
        Connection aliceTab = world.chatSocket(ALICE);
        Connection staleTab = world.chatSocket(ALICE);
        Connection bobTab = world.chatSocket(BOB);
        UUID direct = world.direct(ALICE, BOB);
        world.push.markGone(staleTab.id());

        Message first = world.send(BOB, direct, "one");

        assertEquals(ids(aliceTab, bobTab), world.push.recipientsOf(newMessage(first)));
        assertEquals(List.of(aliceTab), world.registry.connectionsOf(List.of(ALICE), Channel.CHAT));
        assertEquals(List.of(), world.push.eventsFor(staleTab.id()));
    }

    @Test
    void theChatSideTakesOnlyChatConnections() {
        Connection presence = new Connection("p-1", ALICE, Channel.PRESENCE, "node-1");

        assertThrows(IllegalArgumentException.class, () -> world.chat.connect(presence));
        assertEquals(List.of(), world.registry.connectionsOf(List.of(ALICE), Channel.PRESENCE));
    }
}
