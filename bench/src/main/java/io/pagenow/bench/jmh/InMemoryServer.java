package io.pagenow.bench.jmh;

import io.pagenow.core.chat.ChatCore;
import io.pagenow.core.chat.port.in.Chat;
import io.pagenow.core.delivery.Channel;
import io.pagenow.core.delivery.Connection;
import io.pagenow.core.delivery.Deliveries;
import io.pagenow.core.memory.InMemoryConnectionRegistry;
import io.pagenow.core.memory.InMemoryConversationStore;
import io.pagenow.core.memory.InMemoryPresenceStore;
import io.pagenow.core.memory.InMemorySocialGraph;
import io.pagenow.core.presence.PresenceCore;
import io.pagenow.core.presence.port.in.Presence;
import io.pagenow.protocol.FloodControl;
import io.pagenow.protocol.GuavaRegistrableDomains;
import io.pagenow.protocol.SocketApi;
import io.pagenow.protocol.TokenBucket;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The server's insides as its embedded default wires them (in-memory stores, the real core, the
 * real protocol), with a push that encodes but writes to no socket: what one frame costs the
 * server apart from the network.
 */
final class InMemoryServer {

    final Clock clock = Clock.systemUTC();
    final CountingPush push = new CountingPush();
    final InMemoryConnectionRegistry registry = new InMemoryConnectionRegistry();
    final Deliveries deliveries = new Deliveries(registry, push);
    final InMemoryConversationStore conversations = new InMemoryConversationStore();
    final InMemorySocialGraph graph;
    final Chat chat;
    final Presence presence;
    final SocketApi sockets;
    /** Flood control as the server runs it, with a rate no benchmark reaches. */
    final FloodControl unlimited = new FloodControl(Integer.MAX_VALUE, 1e12);

    InMemoryServer(InMemorySocialGraph graph) {
        this.graph = graph;
        this.chat = ChatCore.create(conversations, deliveries, clock);
        this.presence = PresenceCore.create(new InMemoryPresenceStore(), graph, new GuavaRegistrableDomains(),
                deliveries, clock, PresenceCore.DEFAULT_TIMEOUT);
        this.sockets = new SocketApi(chat, presence);
    }

    /** Users {@code u0..u(n-1)}, each with {@code friends} friends in a ring (nearest on both sides, plus the opposite one when odd). */
    static InMemorySocialGraph ring(int n, int friends) {
        InMemorySocialGraph.Builder builder = InMemorySocialGraph.builder();
        for (int i = 0; i < n; i++) {
            builder.user("u" + i, "User", String.valueOf(i));
        }
        for (int k = 1; k <= friends / 2; k++) {
            for (int i = 0; i < n; i++) {
                builder.friends("u" + i, "u" + ((i + k) % n));
            }
        }
        if (friends % 2 == 1) {
            for (int i = 0; i < n / 2; i++) {
                builder.friends("u" + i, "u" + (i + n / 2));
            }
        }
        return builder.build();
    }

    Connection open(String userId, Channel channel) {
        Connection connection = new Connection(channel.name().toLowerCase() + "-" + userId + "-"
                + registry.hashCode() + "-" + System.nanoTime(), userId, channel, "bench-node");
        sockets.open(connection);
        return connection;
    }

    TokenBucket bucket() {
        return unlimited.newBucket(clock);
    }

    static List<String> users(int n) {
        List<String> users = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            users.add("u" + i);
        }
        return users;
    }
}
