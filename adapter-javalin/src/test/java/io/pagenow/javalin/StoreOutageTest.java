package io.pagenow.javalin;

import com.fasterxml.jackson.databind.JsonNode;
import io.pagenow.db.testing.TcpProxy;
import io.pagenow.db.testing.TestSchema;
import io.pagenow.protocol.ThrottledLog;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static io.pagenow.javalin.TestServer.error;
import static io.pagenow.javalin.TestServer.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * What clients see when PostgreSQL or Redis is down: {@code /ready} says which, REST answers 503
 * and WebSocket actions an {@code error} event with code 503, each within the stores' bounded
 * timeouts instead of hanging; sockets stay open and work again once the store is back.
 */
class StoreOutageTest {

    private static final String UNAVAILABLE = "Service temporarily unavailable, please retry";
    private static TestSchema schema;

    private String prefix;

    @BeforeAll
    static void createSchema() {
        schema = LiveStores.seededSchema("outage");
    }

    @AfterAll
    static void dropSchema() {
        schema.close();
    }

    @BeforeEach
    void freshPrefix() {
        prefix = LiveStores.freshRedisPrefix();
    }

    @AfterEach
    void deleteKeys() {
        LiveStores.deleteRedisKeys(prefix);
    }

    @Test
    void readyReportsPostgresAndRedisUp() {
        try (TestServer server = TestServer.start(LiveStores.both(schema, prefix, "node-ready"))) {
            server.awaitReady();
            assertEquals("{\"status\":\"ready\",\"checks\":{\"postgres\":\"up\",\"redis\":\"up\"}}",
                    ok(server.get("/ready", null)).toString());
        }
    }

    @Test
    void redisAtADeadPortIsNotReadyAndRefusesWithoutHanging() throws IOException {
        Map<String, String> env = LiveStores.database(schema);
        env.putAll(LiveStores.redis("redis://127.0.0.1:" + deadPort(), prefix, "node-dead-redis"));
        try (TestServer server = TestServer.start(env)) {
            HttpResponse<String> ready = server.get("/ready", null);
            assertEquals(503, ready.statusCode());
            assertEquals("{\"status\":\"unavailable\",\"checks\":{\"postgres\":\"up\",\"redis\":\"down\"}}",
                    ready.body());
            String alice = server.token("alice");
            assertEquals(UNAVAILABLE, error(503, server.get("/presence", alice)));
            assertEquals("[]", ok(server.get("/conversations", alice)).toString(), "the database still serves");

            for (String path : new String[] {"/presence", "/chat"}) {
                TestSocket socket = server.connect(path, alice);
                JsonNode refused = socket.next("error");
                assertEquals(503, refused.get("code").asInt(), refused.toString());
                assertEquals(UNAVAILABLE, refused.get("message").asText());
                assertEquals(1013, socket.awaitClose(), "try again later: the socket could not be registered");
            }
        }
    }

    @Test
    void anOutageIsLoggedOncePerIntervalNotOncePerRequest() throws IOException {
        Map<String, String> env = LiveStores.database(schema);
        env.putAll(LiveStores.redis("redis://127.0.0.1:" + deadPort(), prefix, "node-quiet"));
        ch.qos.logback.classic.Logger failures = (ch.qos.logback.classic.Logger)
                org.slf4j.LoggerFactory.getLogger(io.pagenow.protocol.Failure.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> captured =
                new ch.qos.logback.core.read.ListAppender<>();
        captured.start();
        failures.addAppender(captured);
        long started = System.nanoTime();
        try (TestServer server = TestServer.start(env)) {
            String alice = server.token("alice");
            for (int i = 0; i < 40; i++) {
                assertEquals(UNAVAILABLE, error(503, server.get("/presence", alice)));
            }
        } finally {
            failures.detachAppender(captured);
        }
        // One line per 10 s interval at most (the first at once), however long the requests took.
        long intervals = Duration.ofNanos(System.nanoTime() - started).dividedBy(ThrottledLog.INTERVAL) + 1;
        assertTrue(captured.list.size() <= intervals, "40 failures, " + captured.list.size() + " lines");
    }

    @Test
    void redisLostWhileSocketsAreOpenAnswersErrorEventsAndServesAgainWhenBack() throws IOException {
        URI redis = URI.create(LiveStores.REDIS_URL);
        try (TcpProxy proxy = TcpProxy.start(new InetSocketAddress(redis.getHost(),
                redis.getPort() < 0 ? 6379 : redis.getPort()))) {
            Map<String, String> env = LiveStores.database(schema);
            env.putAll(LiveStores.redis("redis://127.0.0.1:" + proxy.port(), prefix, "node-cut"));
            try (TestServer server = TestServer.start(env)) {
                server.awaitReady();
                String alice = server.token("alice");
                String bob = server.token("bob");
                TestSocket aliceChat = server.connect("/chat", alice);
                TestSocket alicePresence = server.connect("/presence", alice);
                TestSocket bobChat = server.connect("/chat", bob);
                aliceChat.drain();
                alicePresence.drain();
                bobChat.drain();
                String conversationId = ok(server.post("/conversation", alice,
                        "{\"recipientIdArr\":[\"bob\"],\"isGroup\":false}")).get("conversationId").asText();

                proxy.stop();
                String tempId = "cut-" + UUID.randomUUID();
                aliceChat.send(sendMessage(tempId, conversationId, "during the outage"));
                JsonNode failed = aliceChat.next("error");
                assertEquals(503, failed.get("code").asInt(), failed.toString());
                assertEquals("send-message", failed.get("action").asText());
                assertEquals(tempId, failed.get("tempMessageId").asText(), "the client can retry this send");
                alicePresence.send("{\"action\":\"update-presence\",\"url\":\"https://example.com\",\"title\":\"x\"}");
                assertEquals(503, alicePresence.next("error").get("code").asInt());
                alicePresence.send("{\"action\":\"heartbeat\"}");
                assertEquals(503, alicePresence.next("error").get("code").asInt());
                HttpResponse<String> ready = server.get("/ready", null);
                assertEquals(503, ready.statusCode());
                assertTrue(ready.body().contains("\"redis\":\"down\""), ready.body());
                assertTrue(aliceChat.isOpen() && alicePresence.isOpen(), "sockets are kept through the outage");

                proxy.restart();
                JsonNode retried = retryUntilDelivered(aliceChat, sendMessage(tempId, conversationId,
                        "during the outage"));
                assertEquals("during the outage", retried.get("content").asText());
                assertEquals(tempId, retried.get("tempMessageId").asText());
                aliceChat.send(sendMessage("after-" + UUID.randomUUID(), conversationId, "after the outage"));
                assertEquals("after the outage", bobChat.nextOfType("new-message").get("content").asText());
                JsonNode stored = ok(server.get("/conversations/" + conversationId + "/messages?order=asc", bob));
                assertEquals(2, stored.size(), "the retried message was stored once: " + stored);
            }
        }
    }

    @Test
    void databaseAtADeadPortIsNotReadyAndRefusesWithoutHanging() throws IOException {
        Map<String, String> env = new HashMap<>(Map.of(
                "DATABASE_URL", "jdbc:postgresql://127.0.0.1:" + deadPort() + "/test",
                "DATABASE_USER", schema.user(), "DATABASE_MIGRATE", "false"));
        try (TestServer server = TestServer.start(env)) {
            HttpResponse<String> ready = server.get("/ready", null);
            assertEquals(503, ready.statusCode());
            assertEquals("{\"status\":\"unavailable\",\"checks\":{\"postgres\":\"down\"}}", ready.body());
            String alice = server.token("alice");
            assertEquals(UNAVAILABLE, error(503, server.get("/conversations", alice)));

            TestSocket chat = server.connect("/chat", alice);
            chat.drain();
            chat.send(sendMessage("db-down", UUID.randomUUID().toString(), "not stored"));
            // Bounded by the pool's connection timeout (3 s); the socket's usual wait leaves too little margin.
            JsonNode failed = chat.next(Duration.ofSeconds(15));
            assertEquals("error", failed.get("type").asText(), failed.toString());
            assertEquals(503, failed.get("code").asInt(), failed.toString());
            assertEquals("db-down", failed.get("tempMessageId").asText());
            assertTrue(chat.isOpen());
        }
    }

    /** Sends until the answer is the message instead of a 503 (the first calls may meet stale connections). */
    private static JsonNode retryUntilDelivered(TestSocket socket, String frame) {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline) {
            socket.send(frame);
            JsonNode answer = socket.next();
            if (answer.get("type").asText().equals("new-message")) {
                return answer;
            }
            assertEquals(503, answer.get("code").asInt(), answer.toString());
        }
        return fail("still failing 15 s after Redis came back");
    }

    private static String sendMessage(String tempId, String conversationId, String content) {
        return "{\"action\":\"send-message\",\"tempMessageId\":\"" + tempId + "\",\"conversationId\":\""
                + conversationId + "\",\"content\":\"" + content + "\"}";
    }

    /** A loopback port nothing listens on. */
    private static int deadPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
