package io.pagenow.redis;

import io.pagenow.core.contract.ConnectionRegistryContract;
import io.pagenow.core.delivery.Channel;
import io.pagenow.core.delivery.Connection;
import io.pagenow.core.delivery.port.out.ConnectionRegistry;
import io.pagenow.core.delivery.port.out.ConnectionRegistry.Removal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RedisConnectionRegistryTest extends ConnectionRegistryContract {

    private final String prefix = RedisTestSupport.freshPrefix();
    private RedisLive live;

    @AfterEach
    void cleanUp() {
        if (live != null) {
            live.close();
        }
        RedisTestSupport.deleteKeysUnder(prefix);
    }

    /** Connects on first use, so the contract's own set-up may call it before ours would run. */
    @Override
    protected ConnectionRegistry registry() {
        if (live == null) {
            live = RedisTestSupport.connect(RedisTestSupport.config(prefix, "n1"));
        }
        return live.registry();
    }

    @Test
    void listsEachUsersConnectionsPerChannelWithTheirNodes() {
        ConnectionRegistry registry = registry();
        Connection aliceChat1 = new Connection("c1", "alice", Channel.CHAT, "n1");
        Connection aliceChat2 = new Connection("c2", "alice", Channel.CHAT, "n2");
        Connection alicePresence = new Connection("p1", "alice", Channel.PRESENCE, "n1");
        Connection bobChat = new Connection("c3", "bob", Channel.CHAT, "n2");
        Connection carolChat = new Connection("c4", "carol", Channel.CHAT, "n1");
        List.of(aliceChat1, aliceChat2, alicePresence, bobChat, carolChat).forEach(registry::register);

        assertEquals(Set.of(aliceChat1, aliceChat2, bobChat),
                new HashSet<>(registry.connectionsOf(List.of("alice", "bob"), Channel.CHAT)));
        assertEquals(List.of(alicePresence), registry.connectionsOf(List.of("alice", "bob"), Channel.PRESENCE));
        assertEquals(List.of(), registry.connectionsOf(List.of("dave"), Channel.CHAT));
        assertEquals(List.of(), registry.connectionsOf(List.of(), Channel.CHAT));
    }

    @Test
    void aUserNamedTwiceStillGetsEachConnectionOnce() {
        Connection chat = new Connection("c1", "alice", Channel.CHAT, "n1");
        registry().register(chat);

        assertEquals(List.of(chat), registry().connectionsOf(List.of("alice", "alice"), Channel.CHAT));
    }

    @Test
    void unregisterTellsHowManyRemainOnThatChannel() {
        ConnectionRegistry registry = registry();
        Connection p1 = new Connection("p1", "alice", Channel.PRESENCE, "n1");
        Connection p2 = new Connection("p2", "alice", Channel.PRESENCE, "n2");
        Connection c1 = new Connection("c1", "alice", Channel.CHAT, "n1");
        List.of(p1, p2, c1).forEach(registry::register);

        assertEquals(Optional.of(new Removal(p1, 1)), registry.unregister("p1"));
        assertEquals(Optional.of(new Removal(c1, 0)), registry.unregister("c1"));
        assertEquals(Optional.of(new Removal(p2, 0)), registry.unregister("p2"));
        assertEquals(Optional.empty(), registry.unregister("p2"));
        assertEquals(Optional.empty(), registry.unregister("never-registered"));
    }

    @Test
    void registeringAnIdAgainReplacesItsUserChannelAndNode() {
        ConnectionRegistry registry = registry();
        registry.register(new Connection("c1", "alice", Channel.CHAT, "n1"));
        Connection moved = new Connection("c1", "bob", Channel.PRESENCE, "n2");
        registry.register(moved);

        assertEquals(List.of(), registry.connectionsOf(List.of("alice"), Channel.CHAT));
        assertEquals(List.of(moved), registry.connectionsOf(List.of("bob"), Channel.PRESENCE));
        try (RedisClient raw = RedisTestSupport.rawClient(RedisTestSupport.URL)) {
            assertEquals(Set.of(), raw.smembers(prefix + "node-conns:n1"));
            assertEquals(Set.of("c1"), raw.smembers(prefix + "node-conns:n2"));
        }
        assertEquals(Optional.of(new Removal(moved, 0)), registry.unregister("c1"));
    }

    @Test
    void concurrentUnregistersShowTheLastConnectionGoingToExactlyOneCaller() throws Exception {
        ConnectionRegistry registry = registry();
        int connections = 12;
        for (int i = 0; i < connections; i++) {
            registry.register(new Connection("p" + i, "alice", Channel.PRESENCE, "n" + (i % 2)));
        }
        ExecutorService threads = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Optional<Removal>>> results = new ArrayList<>();
            // Every id is closed twice at once, as when a socket close races a gone push.
            for (int round = 0; round < 2; round++) {
                for (int i = 0; i < connections; i++) {
                    String id = "p" + i;
                    results.add(threads.submit(() -> {
                        start.await();
                        return registry.unregister(id);
                    }));
                }
            }
            start.countDown();
            List<Removal> removals = new ArrayList<>();
            for (Future<Optional<Removal>> result : results) {
                result.get(10, TimeUnit.SECONDS).ifPresent(removals::add);
            }
            assertEquals(connections, removals.size());
            assertEquals(IntStream.range(0, connections).boxed().collect(Collectors.toSet()),
                    removals.stream().map(Removal::remainingOnChannel).collect(Collectors.toSet()));
            assertEquals(1, removals.stream().filter(r -> r.remainingOnChannel() == 0).count());
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void manyUsersAreAnsweredTogether() {
        ConnectionRegistry registry = registry();
        List<String> users = new ArrayList<>();
        Set<Connection> expected = new HashSet<>();
        for (int i = 0; i < 300; i++) {
            String user = "user" + i;
            users.add(user);
            for (int j = 0; j < i % 3; j++) {
                Connection connection = new Connection(user + "-" + j, user, Channel.CHAT, "n" + j);
                registry.register(connection);
                expected.add(connection);
            }
        }
        List<Connection> found = registry.connectionsOf(users, Channel.CHAT);
        assertEquals(expected.size(), found.size());
        assertEquals(expected, new HashSet<>(found));
    }

    @Test
    void everyKeyLivesUnderThePrefixAndUnregisterLeavesNone() {
        ConnectionRegistry registry = registry();
        String id = "conn-" + prefix;
        registry.register(new Connection(id, "alice", Channel.CHAT, "n1"));
        try (RedisClient raw = RedisTestSupport.rawClient(RedisTestSupport.URL)) {
            List<String> keys = RedisTestSupport.keysUnder(raw, prefix);
            assertEquals(Set.of(prefix + "conn:" + id, prefix + "conns:chat:alice", prefix + "node-conns:n1"),
                    new HashSet<>(keys));
            assertTrue(RedisTestSupport.keysUnder(raw, "*" + id).stream().allMatch(k -> k.startsWith(prefix)));

            registry.unregister(id);
            assertFalse(RedisTestSupport.keysUnder(raw, prefix).stream().anyMatch(k -> k.contains("conn")),
                    "unregister leaves no connection key behind");
        }
    }
}
