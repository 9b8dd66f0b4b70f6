package io.pagenow.javalin;

import com.fasterxml.jackson.databind.JsonNode;
import io.pagenow.core.delivery.Channel;
import io.pagenow.core.delivery.Connection;
import io.pagenow.db.testing.TestSchema;
import io.pagenow.redis.RedisConfig;
import io.pagenow.redis.RedisLive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static io.pagenow.javalin.TestServer.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two server nodes in one JVM, wired by {@code Main} to one PostgreSQL schema and one Redis key
 * prefix, each with its own sockets: what a client on one node does reaches clients on the other
 * through the Redis relay. Users: alice, bob, carol are friends with each other; dave has none.
 */
class TwoNodesTest {

    private static final AtomicInteger MARKERS = new AtomicInteger();
    private static TestSchema schema;

    private String prefix;
    private TestServer node1;
    private TestServer node2;

    @BeforeAll
    static void createSchema() {
        schema = LiveStores.seededSchema("two_nodes");
    }

    @AfterAll
    static void dropSchema() {
        schema.close();
    }

    @BeforeEach
    void startNodes() {
        prefix = LiveStores.freshRedisPrefix();
        node1 = TestServer.start(LiveStores.both(schema, prefix, "node-1"));
        node2 = TestServer.start(LiveStores.both(schema, prefix, "node-2"));
        // A node takes pushes from the others once its relay has subscribed, which /ready includes.
        node1.awaitReady();
        node2.awaitReady();
    }

    @AfterEach
    void stopNodes() {
        try {
            node1.close();
            node2.close();
        } finally {
            LiveStores.deleteRedisKeys(prefix);
        }
    }

    @Test
    void aliceOnNodeOneAndBobOnNodeTwoChatAndSeeEachOthersPresence() {
        String alice = node1.token("alice");
        String bob = node2.token("bob");
        TestSocket aliceChat = open(node1, "/chat", alice);
        TestSocket alicePresence = open(node1, "/presence", alice);
        TestSocket bobChat = open(node2, "/chat", bob);
        TestSocket bobPresence = open(node2, "/presence", bob);
        assertEquals("bob", presenceUpdateOf(alicePresence, "bob").get("userId").asText(),
                "bob coming online on node 2 reaches alice on node 1");

        try (RedisClient redis = LiveStores.redisClient()) {
            assertEquals(List.of("node-1"), List.copyOf(redis.hgetAll(prefix + "conns:chat:alice").values()),
                    "a connection is registered under the node id NODE_ID names, the relay's address");
            assertEquals(List.of("node-2"), List.copyOf(redis.hgetAll(prefix + "conns:presence:bob").values()));
        }

        String conversationId = ok(node1.post("/conversation", alice,
                "{\"recipientIdArr\":[\"bob\"],\"isGroup\":false}")).get("conversationId").asText();
        aliceChat.send(sendMessage("t-1", conversationId, "Hello from node 1"));
        JsonNode atBob = bobChat.next("new-message");
        assertEquals("Hello from node 1", atBob.get("content").asText());
        assertEquals("alice", atBob.get("senderId").asText());
        assertEquals(atBob, aliceChat.next("new-message"));

        bobChat.send(sendMessage("t-2", conversationId, "Hello from node 2"));
        assertEquals("Hello from node 2", aliceChat.next("new-message").get("content").asText());
        bobChat.next("new-message");

        bobChat.send("{\"action\":\"read-messages\",\"conversationId\":\"" + conversationId + "\"}");
        JsonNode receipt = aliceChat.next("read-messages");
        assertEquals("bob", receipt.get("userId").asText());
        assertEquals(receipt, bobChat.next("read-messages"));

        alicePresence.send(updatePresence("https://github.com/pagenow", "PageNow"));
        JsonNode alicePage = presenceUpdateOf(bobPresence, "alice");
        assertEquals("https://github.com/pagenow", alicePage.get("url").asText());
        assertEquals("github.com", alicePage.get("domain").asText());
        bobPresence.send(updatePresence("https://news.bbc.co.uk/x", "News"));
        assertEquals("bbc.co.uk", presenceUpdateOf(alicePresence, "bob").get("domain").asText());

        JsonNode aliceSeenByBob = friendPresence(node2, bob, "alice");
        assertTrue(aliceSeenByBob.get("online").asBoolean(), aliceSeenByBob.toString());
        assertEquals("https://github.com/pagenow", aliceSeenByBob.get("page").get("url").asText());
        assertEquals(2, ok(node2.get("/conversations/" + conversationId + "/messages", bob)).size(),
                "both nodes store in the one database");
    }

    @Test
    void aUserWithSocketsOnBothNodesGetsEveryEventOnBoth() {
        String alice = node1.token("alice");
        String bobOn1 = node1.token("bob");
        String bobOn2 = node2.token("bob");
        TestSocket aliceChat = open(node1, "/chat", alice);
        TestSocket alicePresence = open(node2, "/presence", node2.token("alice"));
        TestSocket bobChat1 = open(node1, "/chat", bobOn1);
        TestSocket bobChat2 = open(node2, "/chat", bobOn2);
        TestSocket bobPresence1 = open(node1, "/presence", bobOn1);
        assertEquals("", presenceUpdateOf(alicePresence, "bob").get("url").asText(), "bob is online");
        TestSocket bobPresence2 = open(node2, "/presence", bobOn2);

        String conversationId = ok(node2.post("/conversation", bobOn2,
                "{\"recipientIdArr\":[\"alice\",\"carol\"],\"isGroup\":true,\"title\":\"Both nodes\"}"))
                .get("conversationId").asText();
        aliceChat.send(sendMessage("t-1", conversationId, "to every tab"));
        JsonNode message = aliceChat.next("new-message");
        assertEquals(message, bobChat1.next("new-message"));
        assertEquals(message, bobChat2.next("new-message"));

        bobChat1.send(sendMessage("t-2", conversationId, "from bob's first tab"));
        JsonNode own = bobChat1.next("new-message");
        assertEquals(own, bobChat2.next("new-message"), "the sender's tab on the other node swaps it too");
        assertEquals(own, aliceChat.next("new-message"));

        bobChat2.send("{\"action\":\"read-messages\",\"conversationId\":\"" + conversationId + "\"}");
        JsonNode receipt = bobChat2.next("read-messages");
        assertEquals(receipt, bobChat1.next("read-messages"));
        assertEquals(receipt, aliceChat.next("read-messages"));

        alicePresence.send(updatePresence("https://example.org/a", "A page"));
        assertEquals("https://example.org/a", presenceUpdateOf(bobPresence1, "alice").get("url").asText());
        assertEquals("https://example.org/a", presenceUpdateOf(bobPresence2, "alice").get("url").asText());
        bobPresence2.send(updatePresence("https://example.org/b", "B page"));
        assertEquals("https://example.org/b", presenceUpdateOf(bobPresence1, "bob").get("url").asText(),
                "the user's own sockets on the other node follow too");
        assertEquals("https://example.org/b", presenceUpdateOf(alicePresence, "bob").get("url").asText());
    }

    @Test
    void closingTheLastSocketOnEitherNodeTakesTheUserOfflineOnce() throws Exception {
        TestSocket alice = open(node1, "/presence", node1.token("alice"));
        TestSocket carol = open(node2, "/presence", node2.token("carol"));
        TestSocket bob1 = open(node1, "/presence", node1.token("bob"));
        TestSocket bob2 = open(node2, "/presence", node2.token("bob"));
        Barrier barrier = barrier();

        bob2.close();
        awaitClosed(node2, 2);
        assertEquals(0, timeouts(barrier.settle(alice, carol), "bob"), "bob still has a socket on node 1");
        assertTrue(online(node1, node1.token("alice"), "bob"));

        bob1.close();
        assertEquals("bob", alice.nextOfType("presence-timeout").get("userId").asText());
        assertEquals("bob", carol.nextOfType("presence-timeout").get("userId").asText());
        awaitClosed(node1, 2);
        assertEquals(0, timeouts(barrier.settle(alice, carol), "bob"), "one presence-timeout, never two");
        assertFalse(online(node2, node2.token("carol"), "bob"));

        // Back on both nodes, then both sockets closed at once: exactly one node sees the last one go.
        TestSocket again1 = open(node1, "/presence", node1.token("bob"));
        TestSocket again2 = open(node2, "/presence", node2.token("bob"));
        barrier.settle(alice, carol);
        CountDownLatch go = new CountDownLatch(1);
        CompletableFuture<Void> close1 = CompletableFuture.runAsync(() -> awaitThenRun(go, again1::close));
        CompletableFuture<Void> close2 = CompletableFuture.runAsync(() -> awaitThenRun(go, again2::close));
        go.countDown();
        close1.get(10, TimeUnit.SECONDS);
        close2.get(10, TimeUnit.SECONDS);
        awaitClosed(node1, 2);
        awaitClosed(node2, 2);
        Map<TestSocket, List<JsonNode>> frames = barrier.settle(alice, carol);
        assertEquals(1, timeouts(frames.get(alice), "bob"), frames.get(alice).toString());
        assertEquals(1, timeouts(frames.get(carol), "bob"), frames.get(carol).toString());
    }

    @Test
    void concurrentSweepsOnTwoNodesTimeEachUserOutOnce() throws Exception {
        TestSocket alice = open(node1, "/presence", node1.token("alice"));
        TestSocket bob = open(node2, "/presence", node2.token("bob"));
        TestSocket carol1 = open(node1, "/presence", node1.token("carol"));
        TestSocket carol2 = open(node2, "/presence", node2.token("carol"));
        Duration pastTheTimeout = Duration.ofMinutes(3).plusSeconds(1);
        node1.clock.advance(pastTheTimeout);
        node2.clock.advance(pastTheTimeout);

        CountDownLatch go = new CountDownLatch(1);
        CompletableFuture<Integer> sweep1 = CompletableFuture.supplyAsync(() -> awaitThen(go, node1.server::sweepPresence));
        CompletableFuture<Integer> sweep2 = CompletableFuture.supplyAsync(() -> awaitThen(go, node2.server::sweepPresence));
        go.countDown();
        assertEquals(3, sweep1.get(10, TimeUnit.SECONDS) + sweep2.get(10, TimeUnit.SECONDS),
                "alice, bob and carol, each taken offline by one of the sweeps");

        Map<TestSocket, List<JsonNode>> frames = barrier().settle(alice, bob, carol1, carol2);
        assertEquals(Map.of("bob", 1, "carol", 1), timeoutsByUser(frames.get(alice)));
        assertEquals(Map.of("alice", 1, "carol", 1), timeoutsByUser(frames.get(bob)));
        assertEquals(Map.of("alice", 1, "bob", 1), timeoutsByUser(frames.get(carol1)));
        assertEquals(Map.of("alice", 1, "bob", 1), timeoutsByUser(frames.get(carol2)));
    }

    @Test
    void theSweepScheduleRemovesTheConnectionsOfANodeThatDied() {
        String aliceToken = node1.token("alice");
        TestSocket alice = open(node1, "/presence", aliceToken);
        // A node killed with a presence socket of bob's still registered: it beat once, then stopped.
        // (Nothing pushes to bob here: a push would find the node dead and take bob offline itself.)
        try (RedisLive dead = RedisLive.connect(RedisConfig.of(LiveStores.REDIS_URL, prefix).withNodeId("node-dead"))) {
            dead.relay((targets, event) -> Set.of());
            dead.registry().register(new Connection("bob-on-the-dead-node", "bob", Channel.PRESENCE, "node-dead"));
            dead.presenceStore().touch("bob", node1.clock.instant());
        }
        assertTrue(online(node1, aliceToken, "bob"), "bob looks online: his connection is still registered");

        Map<String, String> env = new HashMap<>(LiveStores.both(schema, prefix, "node-3"));
        env.put("PRESENCE_SWEEP_SECONDS", "1");
        try (TestServer sweeping = TestServer.start(env)) {
            assertEquals("bob", alice.nextOfType("presence-timeout").get("userId").asText(),
                    "node 3's schedule removed the dead node's connection, taking bob offline");
        }
        assertFalse(online(node1, aliceToken, "bob"));
        try (RedisClient redis = LiveStores.redisClient()) {
            assertEquals(Map.of(), redis.hgetAll(prefix + "conns:presence:bob"));
        }
    }

    /**
     * dave (no friends) on both nodes: his own presence updates cross the relay in both directions,
     * so once each has arrived, everything either node published before has been handed to its
     * sockets; a drain of each watched socket then collects it.
     */
    private Barrier barrier() {
        return new Barrier(open(node1, "/presence", node1.token("dave")),
                open(node2, "/presence", node2.token("dave")));
    }

    private record Barrier(TestSocket onNode1, TestSocket onNode2) {

        /** The frames each socket received up to now, everything either node had sent included. */
        Map<TestSocket, List<JsonNode>> settle(TestSocket... watched) {
            crossTo(onNode1, onNode2);
            crossTo(onNode2, onNode1);
            Map<TestSocket, List<JsonNode>> frames = new HashMap<>();
            for (TestSocket socket : watched) {
                frames.put(socket, socket.drain());
            }
            return frames;
        }

        private static void crossTo(TestSocket from, TestSocket to) {
            String marker = "marker-" + MARKERS.incrementAndGet();
            from.send(updatePresence("https://example.com/" + marker, marker));
            while (!to.nextOfType("update-presence").get("title").asText().equals(marker)) {
                // an earlier update of dave's
            }
        }
    }

    /**
     * A socket whose opening the node has finished (registered, user online): the node reads no
     * frame of a socket before its open handler returns, so one round trip shows it. What the
     * opening itself pushed to this socket is dropped.
     */
    private static TestSocket open(TestServer node, String path, String token) {
        TestSocket socket = node.connect(path, token);
        socket.drain();
        return socket;
    }

    private static void awaitClosed(TestServer node, int socketsLeft) throws InterruptedException {
        assertTrue(node.server.awaitSocketsAtMost(socketsLeft, Duration.ofSeconds(5)),
                "the node's close handlers finished");
    }

    private static int timeouts(Map<TestSocket, List<JsonNode>> frames, String userId) {
        return frames.values().stream().mapToInt(list -> timeouts(list, userId)).sum();
    }

    private static int timeouts(List<JsonNode> frames, String userId) {
        return timeoutsByUser(frames).getOrDefault(userId, 0);
    }

    private static Map<String, Integer> timeoutsByUser(List<JsonNode> frames) {
        Map<String, Integer> count = new HashMap<>();
        for (JsonNode frame : frames) {
            if (frame.get("type").asText().equals("presence-timeout")) {
                count.merge(frame.get("userId").asText(), 1, Integer::sum);
            }
        }
        return count;
    }

    private static boolean online(TestServer node, String token, String friend) {
        return friendPresence(node, token, friend).get("online").asBoolean();
    }

    private static JsonNode friendPresence(TestServer node, String token, String friend) {
        for (JsonNode presence : ok(node.get("/presence", token)).get("presenceArr")) {
            if (presence.get("userId").asText().equals(friend)) {
                return presence;
            }
        }
        throw new AssertionError(friend + " is no friend");
    }

    /** The next update-presence about {@code userId}, skipping others (e.g. caused by connecting). */
    private static JsonNode presenceUpdateOf(TestSocket socket, String userId) {
        while (true) {
            JsonNode update = socket.nextOfType("update-presence");
            if (update.get("userId").asText().equals(userId)) {
                return update;
            }
        }
    }

    /** The temporary id made unique: the tests of this class share one database, and a reused one is a retry. */
    private static String sendMessage(String tempId, String conversationId, String content) {
        return "{\"action\":\"send-message\",\"tempMessageId\":\"" + tempId + "-" + UUID.randomUUID()
                + "\",\"conversationId\":\""
                + conversationId + "\",\"content\":\"" + content + "\"}";
    }

    private static String updatePresence(String url, String title) {
        return "{\"action\":\"update-presence\",\"url\":\"" + url + "\",\"title\":\"" + title + "\"}";
    }

    private static void awaitThenRun(CountDownLatch go, Runnable action) {
        awaitThen(go, () -> {
            action.run();
            return null;
        });
    }

    private static <T> T awaitThen(CountDownLatch go, Supplier<T> action) {
        try {
            assertTrue(go.await(10, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        return action.get();
    }
}
