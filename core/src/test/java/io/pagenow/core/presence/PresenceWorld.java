package io.pagenow.core.presence;

import io.pagenow.core.delivery.Channel;
import io.pagenow.core.delivery.Connection;
import io.pagenow.core.delivery.Deliveries;
import io.pagenow.core.delivery.Event;
import io.pagenow.core.error.InvalidInputException;
import io.pagenow.core.memory.InMemoryConnectionRegistry;
import io.pagenow.core.memory.InMemoryPresenceStore;
import io.pagenow.core.memory.InMemorySocialGraph;
import io.pagenow.core.presence.port.in.Presence;
import io.pagenow.core.social.ShareMode;
import io.pagenow.core.social.ShareSettings;
import io.pagenow.core.social.UserInfo;
import io.pagenow.core.testing.LastLabelsDomains;
import io.pagenow.core.testing.MutableClock;
import io.pagenow.core.testing.RecordingClientPush;
import org.junit.jupiter.api.function.Executable;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The presence use cases on the in-memory adapters, with a hand-moved clock and recorded pushes.
 * The demo graph (alice-bob, alice-carol, bob-carol; dave alone; everyone shares all) plus two
 * friends of alice with share settings of their own: erin shares only bbc.co.uk, frank shares
 * everything but bbc.co.uk.
 */
final class PresenceWorld {

    static final String ALICE = "alice";
    static final String BOB = "bob";
    static final String CAROL = "carol";
    static final String DAVE = "dave";
    static final String ERIN = "erin";
    static final String FRANK = "frank";
    static final Duration TIMEOUT = PresenceCore.DEFAULT_TIMEOUT;

    final MutableClock clock = MutableClock.startingAt("2026-03-01T09:00:00.000Z");
    final InMemoryPresenceStore store = new InMemoryPresenceStore();
    final InMemoryConnectionRegistry registry = new InMemoryConnectionRegistry();
    final RecordingClientPush push = new RecordingClientPush();
    final InMemorySocialGraph graph = InMemorySocialGraph.builder()
            .user(ALICE, "Alice", "Kim")
            .user(BOB, "Bob", "Lee")
            .user(CAROL, "Carol", "Park")
            .user(DAVE, "Dave", "Choi")
            .user(new UserInfo(ERIN, "Erin", "Jung", "png"),
                    new ShareSettings(ShareMode.DEFAULT_NONE, Set.of("bbc.co.uk"), Set.of()))
            .user(new UserInfo(FRANK, "Frank", "Yoon", null),
                    new ShareSettings(ShareMode.DEFAULT_ALL, Set.of(), Set.of("BBC.co.uk")))
            .friends(ALICE, BOB)
            .friends(ALICE, CAROL)
            .friends(BOB, CAROL)
            .friends(ALICE, ERIN)
            .friends(FRANK, ALICE)
            .build();
    final Presence presence = PresenceCore.create(store, graph, new LastLabelsDomains(),
            new Deliveries(registry, push), clock, TIMEOUT);

    private final AtomicInteger ids = new AtomicInteger();

    Connection presenceSocket(String userId) {
        Connection connection = new Connection(userId + "-presence-" + ids.incrementAndGet(), userId,
                Channel.PRESENCE, "node-1");
        presence.connect(connection);
        return connection;
    }

    /** A chat socket of the same user, registered as the chat side would. */
    Connection chatSocket(String userId) {
        Connection connection = new Connection(userId + "-chat-" + ids.incrementAndGet(), userId, Channel.CHAT, "node-1");
        registry.register(connection);
        return connection;
    }

    UserPresence presenceOf(String viewer, String userId) {
        PresenceOverview overview = presence.overview(viewer);
        if (overview.self().userId().equals(userId)) {
            return overview.self();
        }
        UserPresence found = overview.friends().stream().filter(p -> p.userId().equals(userId)).findFirst().orElse(null);
        assertNotNull(found, userId + " is not in " + viewer + "'s overview");
        return found;
    }

    PresenceState stored(String userId) {
        return store.find(List.of(userId)).get(userId);
    }

    static Event.PresenceUpdate update(String userId, Page page, Page latest) {
        return new Event.PresenceUpdate(userId, page.url(), page.title(), page.domain(),
                latest.url(), latest.title(), latest.domain());
    }

    /** A 400 whose message names the field, as PROTOCOL.md asks. */
    static void assertInvalid(String field, Executable action) {
        InvalidInputException e = assertThrows(InvalidInputException.class, action);
        assertEquals(400, e.status());
        assertTrue(e.getMessage().contains("'" + field + "'"), "message names '" + field + "': " + e.getMessage());
    }

    static Set<String> ids(Connection... connections) {
        return Set.of(connections).stream().map(Connection::id).collect(Collectors.toSet());
    }
}
