package io.pagenow.redis;

import io.pagenow.core.delivery.Channel;
import io.pagenow.core.delivery.port.out.ClientPush;
import io.pagenow.core.delivery.Connection;
import io.pagenow.core.delivery.port.out.ConnectionRegistry;
import io.pagenow.core.delivery.Deliveries;
import io.pagenow.core.delivery.Event;
import io.pagenow.core.error.StoreUnavailableException;
import io.pagenow.core.presence.Page;
import io.pagenow.redis.testing.RedisServerProcess;
import io.pagenow.core.testing.RecordingClientPush;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.ClientPauseMode;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Failures on a redis-server of the test's own, killed and started again. */
class RedisOutageTest {

    private static final Duration BOUND = Duration.ofSeconds(10);
    private static final Instant T0 = Instant.parse("2025-01-01T10:00:00Z");

    private RedisServerProcess server;
    private RedisConfig base;
    private final List<RedisLive> nodes = new ArrayList<>();

    @BeforeEach
    void startServer() throws Exception {
        server = RedisServerProcess.start();
        base = RedisConfig.of(server.url(), RedisTestSupport.freshPrefix()).withTimeout(Duration.ofSeconds(1))
                .withNodeTtl(Duration.ofSeconds(3));
    }

    @AfterEach
    void stopServer() throws Exception {
        nodes.forEach(RedisLive::close);
        server.close();
    }

    private RedisLive node(String id) {
        RedisLive live = RedisLive.connect(base.withNodeId(id));
        nodes.add(live);
        return live;
    }

    @Test
    void operationsWorkAfterTheScriptCacheIsFlushed() throws Exception {
        RedisLive a = node("a");
        RedisLive b = node("b");
        ClientPush pushA = a.relay(new RecordingClientPush());
        QueuedClientPush localB = new QueuedClientPush();
        b.relay(localB);
        assertTrue(b.runningRelay().subscriber().awaitSubscriptions(1, BOUND));
        try (RedisClient raw = RedisTestSupport.rawClient(server.url())) {
            assertEquals("OK", raw.scriptFlush());
            assertEquals(List.of(false), raw.scriptExists(List.of(RedisPresenceStore.TOUCH.sha())));
        }

        Connection onB = new Connection("c1", "bob", Channel.CHAT, "b");
        a.registry().register(onB);
        assertTrue(a.presenceStore().touch("bob", T0));
        assertEquals(Page.EMPTY, a.presenceStore().update("bob", Page.EMPTY, null, T0).latestPage());
        Event event = new Event.MessagesRead(UUID.randomUUID(), "alice");
        new Deliveries(a.registry(), pushA).toUsers(List.of("bob"), event);
        assertEquals(new QueuedClientPush.Delivery(onB, event), localB.next());
        assertEquals(List.of("bob"), a.presenceStore().sweep(T0.plusSeconds(1)));
        assertEquals(Optional.of(new ConnectionRegistry.Removal(onB, 0)),
                a.registry().unregister("c1"));
        try (RedisClient raw = RedisTestSupport.rawClient(server.url())) {
            assertEquals(List.of(true), raw.scriptExists(List.of(RedisPresenceStore.TOUCH.sha())),
                    "the fallback cached the script again");
        }
    }

    @Test
    void aRestartFailsRequestsInFlightCleanlyThenEverythingRecoversAndTheRelayResubscribes() throws Exception {
        RedisLive a = node("a");
        RedisLive b = node("b");
        ClientPush pushA = a.relay(new RecordingClientPush());
        QueuedClientPush localB = new QueuedClientPush();
        b.relay(localB);
        RelaySubscriber subscriberA = a.runningRelay().subscriber();
        RelaySubscriber subscriberB = b.runningRelay().subscriber();
        assertTrue(subscriberA.awaitSubscriptions(1, BOUND));
        assertTrue(subscriberB.awaitSubscriptions(1, BOUND));
        Connection onB = new Connection("bob-1", "bob", Channel.CHAT, "b");
        a.registry().register(onB);
        Deliveries fromA = new Deliveries(a.registry(), pushA);
        Event before = new Event.MessagesRead(UUID.randomUUID(), "before");
        fromA.toUsers(List.of("bob"), before);
        assertEquals(before, localB.next().event());

        // Requests held by the server when it dies: paused writes (scripts included), then a crash.
        List<CompletableFuture<?>> inFlight = new ArrayList<>();
        try (Jedis raw = new Jedis(URI.create(server.url()))) {
            raw.clientPause(30_000, ClientPauseMode.WRITE);
            inFlight.add(CompletableFuture.supplyAsync(() -> a.presenceStore().touch("alice", T0)));
            inFlight.add(CompletableFuture.runAsync(
                    () -> a.registry().register(new Connection("c2", "carol", Channel.CHAT, "a"))));
            inFlight.add(CompletableFuture.supplyAsync(() -> b.registry().unregister("bob-1")));
            awaitHeldRequests(raw, inFlight.size());
            server.kill();
        }
        for (CompletableFuture<?> request : inFlight) {
            ExecutionException failure = assertThrows(ExecutionException.class,
                    () -> request.get(BOUND.toSeconds(), TimeUnit.SECONDS));
            assertInstanceOf(StoreUnavailableException.class, failure.getCause());
        }

        // While Redis is down: clean errors, never a hang.
        assertThrows(StoreUnavailableException.class,
                () -> a.registry().connectionsOf(List.of("bob"), Channel.CHAT));
        assertThrows(StoreUnavailableException.class, () -> b.presenceStore().find(List.of("alice")));
        assertFalse(a.ready());
        assertEquals(Set.of(), pushA.push(List.of(onB), before), "an unreachable relay reports nothing gone");

        long subscriptionsA = subscriberA.subscriptions();
        long subscriptionsB = subscriberB.subscriptions();
        server.startAgain();

        // Once a node is subscribed again (its beat on subscribing found Redis answering, which
        // closes the circuit the outage opened) requests succeed. The server kept nothing, as
        // after a crash without persistence.
        assertTrue(subscriberA.awaitSubscriptions(subscriptionsA + 1, BOUND), "relay of a subscribed again");
        assertTrue(subscriberB.awaitSubscriptions(subscriptionsB + 1, BOUND), "relay of b subscribed again");
        assertTrue(a.presenceStore().touch("alice", T0));
        assertEquals(Optional.empty(), b.registry().unregister("bob-1"));
        assertTrue(a.ready());
        assertTrue(b.ready());

        // Clients reconnect and register again; pushes cross nodes again.
        a.registry().register(onB);
        Event after = new Event.MessagesRead(UUID.randomUUID(), "after");
        fromA.toUsers(List.of("bob"), after);
        assertEquals(new QueuedClientPush.Delivery(onB, after), localB.next());
    }

    @Test
    void aServerThatStopsAnsweringGivesATimelyErrorNotAHang() throws Exception {
        RedisLive a = node("a");
        assertTrue(a.presenceStore().touch("alice", T0));
        try (Jedis raw = new Jedis(URI.create(server.url()))) {
            raw.clientPause(60_000, ClientPauseMode.WRITE);
            CompletableFuture<Boolean> held = CompletableFuture.supplyAsync(() -> a.presenceStore().goOffline("alice"));

            // The one-second socket timeout ends it; the bound here only keeps a hang from stalling the build.
            ExecutionException failure = assertThrows(ExecutionException.class,
                    () -> held.get(BOUND.toSeconds(), TimeUnit.SECONDS));
            assertInstanceOf(StoreUnavailableException.class, failure.getCause());

            raw.clientUnpause();
        }
        // Whether the abandoned request ran is unknown, as with any timed-out write; later ones work.
        a.presenceStore().touch("alice", T0.plusSeconds(1));
        assertEquals(T0.plusSeconds(1), a.presenceStore().find(List.of("alice")).get("alice").lastSeenAt());
    }

    @Test
    void aNodeStartedBeforeRedisWorksOnceRedisAnswers() throws Exception {
        server.kill();
        RedisLive a = node("a");
        assertFalse(a.ready());
        assertThrows(StoreUnavailableException.class, () -> a.presenceStore().touch("alice", T0));
        QueuedClientPush local = new QueuedClientPush();
        ClientPush push = a.relay(local);

        server.startAgain();

        assertTrue(a.runningRelay().subscriber().awaitSubscriptions(1, BOUND));
        assertTrue(a.presenceStore().touch("alice", T0));
        assertTrue(a.ready());
        Connection here = new Connection("a-1", "alice", Channel.PRESENCE, "a");
        Event event = new Event.PresenceTimeout("bob");
        assertEquals(Set.of(), push.push(List.of(here), event));
        assertEquals(new QueuedClientPush.Delivery(here, event), local.next());
    }


    /** Until the server holds {@code count} paused requests; each check is a round trip, so no pause is needed. */
    private static void awaitHeldRequests(Jedis raw, int count) {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (blockedClients(raw) < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the server never held " + count + " requests");
            }
        }
    }

    private static int blockedClients(Jedis raw) {
        for (String line : raw.info("clients").split("\r?\n")) {
            if (line.startsWith("blocked_clients:")) {
                return Integer.parseInt(line.substring("blocked_clients:".length()).trim());
            }
        }
        throw new AssertionError("INFO clients has no blocked_clients");
    }
}
