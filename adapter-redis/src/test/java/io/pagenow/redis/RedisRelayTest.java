package io.pagenow.redis;

import io.pagenow.core.delivery.Channel;
import io.pagenow.core.delivery.port.out.ClientPush;
import io.pagenow.core.delivery.Connection;
import io.pagenow.core.delivery.Deliveries;
import io.pagenow.core.delivery.Event;
import io.pagenow.core.memory.InMemorySocialGraph;
import io.pagenow.core.presence.PresenceCore;
import io.pagenow.core.presence.port.in.Presence;
import io.pagenow.core.testing.LastLabelsDomains;
import io.pagenow.core.testing.MutableClock;
import io.pagenow.core.testing.RecordingClientPush;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two or three "nodes" (one RedisLive each, own node id, own local push) on one Redis and prefix. */
class RedisRelayTest {

    private static final Duration BOUND = Duration.ofSeconds(5);

    private String prefix;
    private final List<RedisLive> nodes = new ArrayList<>();

    @BeforeEach
    void freshPrefix() {
        prefix = RedisTestSupport.freshPrefix();
    }

    @AfterEach
    void cleanUp() {
        nodes.forEach(RedisLive::close);
        RedisTestSupport.deleteKeysUnder(prefix);
    }

    private RedisLive node(String id) {
        RedisLive live = RedisTestSupport.connect(RedisTestSupport.config(prefix, id));
        nodes.add(live);
        return live;
    }

    /** Starts the node's relay and waits until its subscription is up. */
    private static ClientPush relay(RedisLive node, ClientPush local) throws InterruptedException {
        ClientPush push = node.relay(local);
        assertTrue(node.runningRelay().subscriber().awaitSubscriptions(1, BOUND), "relay subscribed");
        return push;
    }

    @Test
    void aPushForAConnectionOnAnotherNodeArrivesThere() throws Exception {
        RedisLive a = node("a");
        RedisLive b = node("b");
        RecordingClientPush localA = new RecordingClientPush();
        QueuedClientPush localB = new QueuedClientPush();
        ClientPush pushA = relay(a, localA);
        relay(b, localB);
        Connection bobOnB = new Connection("bob-1", "bob", Channel.CHAT, "b");
        Connection aliceOnA = new Connection("alice-1", "alice", Channel.CHAT, "a");
        a.registry().register(bobOnB);
        a.registry().register(aliceOnA);
        Event message = new Event.NewMessage(UUID.randomUUID(), "t1", UUID.randomUUID(), "alice", "hi: ~bob",
                Instant.parse("2025-01-01T00:00:00Z"));

        new Deliveries(a.registry(), pushA).toUsers(List.of("alice", "bob"), message);

        assertEquals(new QueuedClientPush.Delivery(bobOnB, message), localB.next());
        assertEquals(List.of(new RecordingClientPush.Delivery(aliceOnA, message)), localA.deliveries());
        assertEquals(List.of(), localB.drain(), "bob's node got it once");
    }

    @Test
    void everyNodeHoldingAUsersSocketsGetsTheEventInOrder() throws Exception {
        RedisLive a = node("a");
        RedisLive b = node("b");
        RedisLive c = node("c");
        QueuedClientPush localA = new QueuedClientPush();
        QueuedClientPush localB = new QueuedClientPush();
        QueuedClientPush localC = new QueuedClientPush();
        relay(a, localA);
        ClientPush pushB = relay(b, localB);
        relay(c, localC);
        Connection onA = new Connection("p-a", "carol", Channel.PRESENCE, "a");
        Connection onC1 = new Connection("p-c1", "carol", Channel.PRESENCE, "c");
        Connection onC2 = new Connection("p-c2", "carol", Channel.PRESENCE, "c");
        List.of(onA, onC1, onC2).forEach(b.registry()::register);
        Deliveries fromB = new Deliveries(b.registry(), pushB);

        List<Event> sent = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Event update = new Event.PresenceUpdate("alice", "https://x.io/" + i, "page " + i, "x.io", "", "", "");
            sent.add(update);
            fromB.toUsers(List.of("carol"), update);
        }

        List<Event> atA = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            atA.add(localA.next().event());
        }
        assertEquals(sent, atA);
        List<Event> atC1 = new ArrayList<>();
        List<Event> atC2 = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            QueuedClientPush.Delivery delivery = localC.next();
            (delivery.connection().equals(onC1) ? atC1 : atC2).add(delivery.event());
        }
        assertEquals(sent, atC1);
        assertEquals(sent, atC2);
        assertEquals(List.of(), localB.drain());
    }

    @Test
    void aConnectionOfADeadNodeIsReportedGoneAndRemoved() throws Exception {
        RedisLive a = node("a");
        RedisLive b = node("b");
        ClientPush pushA = relay(a, new RecordingClientPush());
        relay(b, new QueuedClientPush());
        Connection onGhost = new Connection("g-1", "bob", Channel.CHAT, "ghost");
        Connection onB = new Connection("b-1", "bob", Channel.CHAT, "b");
        a.registry().register(onGhost);
        a.registry().register(onB);
        Event event = new Event.MessagesRead(UUID.randomUUID(), "alice");

        assertEquals(Set.of("g-1"), pushA.push(List.of(onGhost, onB), event), "a node that never beat is dead");

        b.close();
        assertEquals(Set.of("g-1", "b-1"), pushA.push(List.of(onGhost, onB), event), "a closed node is dead at once");
        new Deliveries(a.registry(), pushA).toUsers(List.of("bob"), event);
        assertEquals(List.of(), a.registry().connectionsOf(List.of("bob"), Channel.CHAT));
    }

    @Test
    void aSocketTheReceivingNodeNoLongerHoldsIsForgotten() throws Exception {
        RedisLive a = node("a");
        RedisLive b = node("b");
        ClientPush pushA = relay(a, new RecordingClientPush());
        QueuedClientPush localB = new QueuedClientPush();
        relay(b, localB);
        Connection closed = new Connection("b-closed", "bob", Channel.CHAT, "b");
        Connection open = new Connection("b-open", "carol", Channel.CHAT, "b");
        a.registry().register(closed);
        a.registry().register(open);
        localB.close("b-closed");
        Deliveries fromA = new Deliveries(a.registry(), pushA);

        fromA.toUsers(List.of("bob"), new Event.MessagesRead(UUID.randomUUID(), "alice"));
        // b handles messages in order: once carol's arrives, bob's was handled.
        Event fence = new Event.MessagesRead(UUID.randomUUID(), "fence");
        fromA.toUsers(List.of("carol"), fence);
        assertEquals(new QueuedClientPush.Delivery(open, fence), localB.next());

        assertEquals(List.of(), a.registry().connectionsOf(List.of("bob"), Channel.CHAT));
    }

    @Test
    void aLiveNodeKeepsAKeyThatExpiresAndIsListedAmongNodes() throws Exception {
        RedisLive a = node("a");
        relay(a, new RecordingClientPush());
        try (RedisClient raw = RedisTestSupport.rawClient(RedisTestSupport.URL)) {
            long ttl = raw.pttl(prefix + "node-alive:a");
            assertTrue(ttl > 0 && ttl <= RedisConfig.DEFAULT_NODE_TTL.toMillis(), "liveness TTL " + ttl);
            assertTrue(raw.sismember(prefix + "nodes", "a"));
        }
        assertTrue(a.ready());

        a.close();
        try (RedisClient raw = RedisTestSupport.rawClient(RedisTestSupport.URL)) {
            assertFalse(raw.exists(prefix + "node-alive:a"), "a closed node deletes its key");
        }
    }

    @Test
    void aNodeThatLostItsLivenessKeyIsNotDeadUntilTheGraceHasPassed() throws Exception {
        RedisLive a = node("a");
        ClientPush pushA = relay(a, new RecordingClientPush());
        // Node s beat once, then its key expired (a stall, or Redis lost it) and it is not listening.
        Connection onStalled = new Connection("s-1", "bob", Channel.CHAT, "s");
        a.registry().register(onStalled);
        try (RedisClient raw = RedisTestSupport.rawClient(RedisTestSupport.URL)) {
            raw.sadd(prefix + "nodes", "s");
        }
        Event event = new Event.MessagesRead(UUID.randomUUID(), "alice");
        Presence presenceA = presence(a, pushA, InMemorySocialGraph.builder().build(),
                MutableClock.startingAt("2025-01-01T10:00:00Z"));

        assertEquals(Set.of(), pushA.push(List.of(onStalled), event), "a missing key alone is no proof");
        assertEquals(0, a.removeConnectionsOfDeadNodes(presenceA), "nor for the janitor");
        assertEquals(List.of(onStalled), a.registry().connectionsOf(List.of("bob"), Channel.CHAT));

        try (RedisClient raw = RedisTestSupport.rawClient(RedisTestSupport.URL)) {
            // First found silent long before the grace (a millisecond after the epoch).
            raw.set(prefix + "node-dead-since:s", "1");
        }
        assertEquals(Set.of("s-1"), pushA.push(List.of(onStalled), event), "silent past the grace: dead");
        assertEquals(1, a.removeConnectionsOfDeadNodes(presenceA));
        assertEquals(List.of(), a.registry().connectionsOf(List.of("bob"), Channel.CHAT));
    }

    @Test
    void aNodeThatFindsItselfPresumedDeadRunsItsRepair() throws Exception {
        RedisLive a = node("a");
        BlockingQueue<String> repairs = new LinkedBlockingQueue<>();
        a.onLiveStateLost(repairs::add);
        relay(a, new RecordingClientPush());
        try (RedisClient raw = RedisTestSupport.rawClient(RedisTestSupport.URL)) {
            raw.del(prefix + "node-alive:a");
        }
        assertEquals("presumed-dead", repairs.poll(BOUND.toMillis(), TimeUnit.MILLISECONDS),
                "the next beat finds the key gone and asks for the repair");
        a.registry().register(new Connection("a-1", "alice", Channel.CHAT, "a"));
        assertEquals(Set.of("a-1"), a.registeredHere());
    }

    @Test
    void theJanitorTakesAUserWhoseLastSocketWasOnADeadNodeOfflineOnce() throws Exception {
        InMemorySocialGraph graph = InMemorySocialGraph.builder()
                .user("alice", "Alice", "A").user("carol", "Carol", "C").friends("alice", "carol").build();
        MutableClock clock = MutableClock.startingAt("2025-01-01T10:00:00Z");
        RedisLive a = node("a");
        RedisLive b = node("b");
        RedisLive c = node("c");
        QueuedClientPush localA = new QueuedClientPush();
        Presence presenceA = presence(a, relay(a, localA), graph, clock);
        Presence presenceB = presence(b, relay(b, new QueuedClientPush()), graph, clock);
        Presence presenceC = presence(c, relay(c, new RecordingClientPush()), graph, clock);
        presenceA.connect(new Connection("alice-p", "alice", Channel.PRESENCE, "a"));
        presenceC.connect(new Connection("carol-p1", "carol", Channel.PRESENCE, "c"));
        presenceC.connect(new Connection("carol-p2", "carol", Channel.PRESENCE, "c"));
        c.registry().register(new Connection("carol-c1", "carol", Channel.CHAT, "c"));
        Event carolOnline = new Event.PresenceUpdate("carol", "", "", "", "", "", "");
        localA.until(carolOnline, BOUND);

        c.close(); // node c dies: its connections stay registered

        CountDownLatch start = new CountDownLatch(1);
        CompletableFuture<Integer> byA = CompletableFuture.supplyAsync(
                janitor(start, () -> a.removeConnectionsOfDeadNodes(presenceA)));
        CompletableFuture<Integer> byB = CompletableFuture.supplyAsync(
                janitor(start, () -> b.removeConnectionsOfDeadNodes(presenceB)));
        start.countDown();
        assertEquals(3, byA.get(10, TimeUnit.SECONDS) + byB.get(10, TimeUnit.SECONDS), "each connection removed once");

        Event fence = new Event.PresenceTimeout("fence");
        new Deliveries(b.registry(), b.runningRelay()).toUsers(List.of("alice"), fence);
        List<QueuedClientPush.Delivery> atAlice = localA.until(fence, BOUND);
        assertEquals(1, atAlice.stream().filter(d -> d.event().equals(new Event.PresenceTimeout("carol"))).count(),
                "alice hears carol leave exactly once");
        assertFalse(a.presenceStore().find(List.of("carol")).get("carol").live());
        assertEquals(List.of(), a.registry().connectionsOf(List.of("carol"), Channel.PRESENCE));
        assertEquals(List.of(), a.registry().connectionsOf(List.of("carol"), Channel.CHAT));
        assertEquals(0, a.removeConnectionsOfDeadNodes(presenceA));
        try (RedisClient raw = RedisTestSupport.rawClient(RedisTestSupport.URL)) {
            assertEquals(Set.of("a", "b"), raw.smembers(prefix + "nodes"), "the dead node is forgotten");
        }
    }

    @Test
    void concurrentSweepsOnTwoNodesSendOnePresenceTimeoutPerUser() throws Exception {
        List<String> users = new ArrayList<>();
        InMemorySocialGraph.Builder graphBuilder = InMemorySocialGraph.builder().user("watcher", "W", "W");
        for (int i = 0; i < 30; i++) {
            users.add("user" + i);
            graphBuilder.user("user" + i, "U", "" + i).friends("watcher", "user" + i);
        }
        InMemorySocialGraph graph = graphBuilder.build();
        MutableClock clock = MutableClock.startingAt("2025-01-01T10:00:00Z");
        RedisLive a = node("a");
        RedisLive b = node("b");
        QueuedClientPush localA = new QueuedClientPush();
        Presence presenceA = presence(a, relay(a, localA), graph, clock);
        Presence presenceB = presence(b, relay(b, new QueuedClientPush()), graph, clock);
        for (String user : users) {
            presenceB.heartbeat(user);
        }
        clock.advance(Duration.ofMinutes(4));
        presenceA.connect(new Connection("watcher-p", "watcher", Channel.PRESENCE, "a"));
        localA.drain();

        CountDownLatch start = new CountDownLatch(1);
        CompletableFuture<Integer> sweptByA = CompletableFuture.supplyAsync(janitor(start, presenceA::sweep));
        CompletableFuture<Integer> sweptByB = CompletableFuture.supplyAsync(janitor(start, presenceB::sweep));
        start.countDown();
        assertEquals(users.size(), sweptByA.get(10, TimeUnit.SECONDS) + sweptByB.get(10, TimeUnit.SECONDS));

        Event fence = new Event.PresenceTimeout("fence");
        new Deliveries(b.registry(), b.runningRelay()).toUsers(List.of("watcher"), fence);
        List<Event> timeouts = localA.until(fence, BOUND).stream().map(QueuedClientPush.Delivery::event)
                .filter(e -> !e.equals(fence)).toList();
        assertEquals(users.size(), timeouts.size(), "one presence-timeout per user");
        Set<Event> expected = new HashSet<>();
        users.forEach(u -> expected.add(new Event.PresenceTimeout(u)));
        assertEquals(expected, new HashSet<>(timeouts));
    }

    private static Presence presence(RedisLive node, ClientPush push, InMemorySocialGraph graph, MutableClock clock) {
        return PresenceCore.create(node.presenceStore(), graph, new LastLabelsDomains(),
                new Deliveries(node.registry(), push), clock, Duration.ofMinutes(3));
    }

    private static Supplier<Integer> janitor(CountDownLatch start, Supplier<Integer> work) {
        return () -> {
            try {
                if (!start.await(10, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("start signal never came");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            return work.get();
        };
    }
}
