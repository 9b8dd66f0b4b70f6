package io.pagenow.example.embedded;

import io.pagenow.core.chat.ChatCore;
import io.pagenow.core.chat.Conversation;
import io.pagenow.core.chat.CreateConversation;
import io.pagenow.core.chat.SendMessage;
import io.pagenow.core.chat.port.in.Chat;
import io.pagenow.core.delivery.Channel;
import io.pagenow.core.delivery.Connection;
import io.pagenow.core.delivery.Deliveries;
import io.pagenow.core.delivery.Event;
import io.pagenow.core.memory.InMemoryConnectionRegistry;
import io.pagenow.core.memory.InMemoryConversationStore;
import io.pagenow.core.memory.InMemoryPresenceStore;
import io.pagenow.core.memory.InMemorySocialGraph;
import io.pagenow.core.presence.PresenceCore;
import io.pagenow.core.presence.port.in.Presence;
import io.pagenow.protocol.GuavaRegistrableDomains;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;

/**
 * PageNow embedded in a program of its own: no server, no socket, no database. The program builds
 * the two use cases from the core's in-memory stores and its own {@link Inboxes} push, exactly as
 * the Javalin server and the Lambda container build them from theirs.
 */
public final class EmbeddedChat {

    private final Inboxes inboxes = new Inboxes();
    private final Chat chat;
    private final Presence presence;

    public EmbeddedChat(InMemorySocialGraph people, Clock clock) {
        Deliveries deliveries = new Deliveries(new InMemoryConnectionRegistry(), inboxes);
        this.chat = ChatCore.create(new InMemoryConversationStore(), deliveries, clock);
        this.presence = PresenceCore.create(new InMemoryPresenceStore(), people, new GuavaRegistrableDomains(),
                deliveries, clock, PresenceCore.DEFAULT_TIMEOUT);
    }

    public Chat chat() {
        return chat;
    }

    public Presence presence() {
        return presence;
    }

    /** What a socket's opening is to the server: a connection registered with the use case. */
    public BlockingQueue<Event> connect(String userId, Channel channel) {
        Connection connection = new Connection(UUID.randomUUID().toString(), userId, channel, "embedded");
        BlockingQueue<Event> inbox = inboxes.open(connection);
        if (channel == Channel.CHAT) {
            chat.connect(connection);
        } else {
            presence.connect(connection);
        }
        return inbox;
    }

    public static void main(String[] args) {
        EmbeddedChat app = new EmbeddedChat(InMemorySocialGraph.demo(), Clock.systemUTC());
        BlockingQueue<Event> bobChat = app.connect("bob", Channel.CHAT);
        BlockingQueue<Event> bobPresence = app.connect("bob", Channel.PRESENCE);
        app.connect("alice", Channel.PRESENCE);

        app.presence().updatePresence("alice", "https://news.bbc.co.uk/sport", "Sport");
        Conversation direct = app.chat().createConversation("alice",
                new CreateConversation(List.of("bob"), false, ""));
        app.chat().send("alice", new SendMessage("t-1", direct.id(), "Seen the match?"));

        System.out.println("bob's presence events:");
        bobPresence.forEach(event -> System.out.println("  " + event));
        System.out.println("bob's chat events:");
        bobChat.forEach(event -> System.out.println("  " + event));
        System.out.println("bob's conversations: " + app.chat().conversations("bob", Optional.empty()).size());
    }
}
