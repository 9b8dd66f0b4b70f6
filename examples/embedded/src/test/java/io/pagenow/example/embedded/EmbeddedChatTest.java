package io.pagenow.example.embedded;

import io.pagenow.core.chat.Conversation;
import io.pagenow.core.chat.ConversationSummary;
import io.pagenow.core.chat.CreateConversation;
import io.pagenow.core.chat.SendMessage;
import io.pagenow.core.delivery.Channel;
import io.pagenow.core.delivery.Event;
import io.pagenow.core.memory.InMemorySocialGraph;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The example does what its README promises: the core's use cases, pushed through the program's own push. */
class EmbeddedChatTest {

    private final Clock clock = Clock.fixed(Instant.parse("2026-12-02T10:00:00Z"), ZoneOffset.UTC);
    private final EmbeddedChat app = new EmbeddedChat(InMemorySocialGraph.demo(), clock);

    @Test
    void aMessageReachesEveryChatConnectionOfTheRecipientThroughTheProgramsOwnPush() {
        BlockingQueue<Event> bobTab1 = app.connect("bob", Channel.CHAT);
        BlockingQueue<Event> bobTab2 = app.connect("bob", Channel.CHAT);
        BlockingQueue<Event> bobPresence = app.connect("bob", Channel.PRESENCE);
        bobPresence.clear(); // bob's own "online" event

        Conversation direct = app.chat().createConversation("alice", new CreateConversation(List.of("bob"), false, ""));
        app.chat().send("alice", new SendMessage("t-1", direct.id(), "hello"));

        for (BlockingQueue<Event> tab : List.of(bobTab1, bobTab2)) {
            Event.NewMessage received = assertInstanceOf(Event.NewMessage.class, tab.poll());
            assertEquals("hello", received.content());
            assertEquals("alice", received.senderId());
            assertEquals(clock.instant(), received.sentAt());
        }
        assertTrue(bobPresence.isEmpty(), "a chat event goes to chat connections only");
        ConversationSummary unread = app.chat().conversations("bob", Optional.of(false)).get(0);
        assertEquals(1, unread.unreadCount());
    }

    @Test
    void aPageUpdateReachesFriendsWithItsRegistrableDomainAndNotStrangers() {
        BlockingQueue<Event> bob = app.connect("bob", Channel.PRESENCE);
        BlockingQueue<Event> dave = app.connect("dave", Channel.PRESENCE);
        app.connect("alice", Channel.PRESENCE);
        bob.clear(); // the "online" events of the connects
        dave.clear();

        app.presence().updatePresence("alice", "https://news.bbc.co.uk/sport", "Sport");

        Event.PresenceUpdate update = assertInstanceOf(Event.PresenceUpdate.class, bob.poll());
        assertEquals("alice", update.userId());
        assertEquals("bbc.co.uk", update.domain());
        assertTrue(dave.isEmpty(), "dave is nobody's friend");
    }

    @Test
    void theProgramsMainRuns() {
        EmbeddedChat.main(new String[0]);
    }
}
