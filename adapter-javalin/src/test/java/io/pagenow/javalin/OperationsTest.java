package io.pagenow.javalin;

import com.fasterxml.jackson.databind.JsonNode;
import io.pagenow.core.chat.Appended;
import io.pagenow.core.chat.Conversation;
import io.pagenow.core.chat.ConversationActivity;
import io.pagenow.core.chat.Message;
import io.pagenow.core.chat.port.out.ConversationStore;
import io.pagenow.core.memory.InMemoryConnectionRegistry;
import io.pagenow.core.memory.InMemoryConversationStore;
import io.pagenow.core.memory.InMemoryPresenceStore;
import io.pagenow.core.memory.InMemorySocialGraph;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;

import static io.pagenow.javalin.TestServer.error;
import static io.pagenow.javalin.TestServer.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Health, readiness, metrics, CORS, flood control and shutdown: what operators and browsers see. */
class OperationsTest {

    @Test
    void healthAndReadiness() {
        try (TestServer server = TestServer.start()) {
            assertEquals("{\"status\":\"up\"}", ok(server.get("/health", null)).toString());
            assertEquals("{\"status\":\"ready\",\"checks\":{\"memory\":\"up\"}}",
                    ok(server.get("/ready", null)).toString());
        }
    }

    @Test
    void readinessReportsEachStoreAnd503WhenOneIsDown() {
        AtomicBoolean databaseUp = new AtomicBoolean(true);
        Stores stores = new Stores(new InMemoryConversationStore(), InMemorySocialGraph.demo(),
                new InMemoryPresenceStore(), new InMemoryConnectionRegistry(), UnaryOperator.identity(),
                List.of(new Stores.ReadinessCheck("database", databaseUp::get),
                        new Stores.ReadinessCheck("cache", () -> true),
                        new Stores.ReadinessCheck("broken", () -> {
                            throw new IllegalStateException("probe failed");
                        })),
                List.of(), List.of());
        try (TestServer server = TestServer.start(Map.of(), stores)) {
            HttpResponse<String> ready = server.get("/ready", null);
            assertEquals(503, ready.statusCode());
            assertEquals("{\"status\":\"unavailable\",\"checks\":{\"database\":\"up\",\"cache\":\"up\",\"broken\":\"down\"}}",
                    ready.body());
            databaseUp.set(false);
            assertTrue(server.get("/ready", null).body().contains("\"database\":\"down\""));
            assertEquals(200, server.get("/health", null).statusCode(), "alive even when not ready");
        }
    }

    @Test
    void storeChoresRunOnTheSweepScheduleEachFailingOnItsOwn() throws InterruptedException {
        CountDownLatch runs = new CountDownLatch(2);
        Stores stores = new Stores(new InMemoryConversationStore(), InMemorySocialGraph.demo(),
                new InMemoryPresenceStore(), new InMemoryConnectionRegistry(), UnaryOperator.identity(),
                List.of(new Stores.ReadinessCheck("memory", () -> true)),
                List.of(new Stores.Chore("broken", presence -> {
                    throw new IllegalStateException("chore failed");
                }), new Stores.Chore("counted", presence -> {
                    runs.countDown();
                    return 0;
                })),
                List.of());
        try (TestServer server = TestServer.start(Map.of("PRESENCE_SWEEP_SECONDS", "1"), stores)) {
            assertTrue(runs.await(10, TimeUnit.SECONDS), "the second chore ran on two sweeps despite the first failing");
        }
    }

    @Test
    void metricsCountConnectionsMessagesPushesErrorsAndLatency() {
        try (TestServer server = TestServer.start()) {
            String alice = server.token("alice");
            TestSocket chat = server.connect("/chat", alice);
            server.connect("/presence", alice);
            String id = ok(server.post("/conversation", alice, "{\"recipientIdArr\":[\"bob\"],\"isGroup\":false}"))
                    .get("conversationId").asText();
            chat.send("{\"action\":\"send-message\",\"tempMessageId\":\"m\",\"conversationId\":\"" + id
                    + "\",\"content\":\"counted, never logged\"}");
            chat.next("new-message");
            chat.send("{\"action\":\"nonsense\"}");
            chat.next("error");
            server.get("/conversations", "bad-token");

            HttpResponse<String> scrape = server.get("/metrics", null);
            assertEquals(200, scrape.statusCode());
            assertTrue(scrape.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
            String metrics = scrape.body();
            assertTrue(metrics.contains("pagenow_connections_open{channel=\"chat\"} 1.0"), metrics);
            assertTrue(metrics.contains("pagenow_connections_open{channel=\"presence\"} 1.0"));
            assertTrue(metrics.contains("pagenow_messages_sent_total 1.0"));
            assertTrue(metrics.contains("pagenow_pushes_total{type=\"new-message\"} 1.0"));
            assertTrue(metrics.contains("pagenow_errors_total{code=\"400\",transport=\"ws\"} 1.0"));
            assertTrue(metrics.contains("pagenow_errors_total{code=\"401\",transport=\"rest\"} 1.0"));
            assertTrue(metrics.contains("pagenow_http_requests_seconds_count{method=\"POST\",route=\"/conversation\","
                    + "status=\"200\"} 1"));
            assertTrue(metrics.contains("pagenow_ws_frames_seconds_count{action=\"send-message\",channel=\"chat\","
                    + "code=\"200\"}"));
            assertFalse(metrics.contains(id), "no ids in labels");
            assertFalse(metrics.contains("counted, never logged"));
        }
    }

    @Test
    void corsAllowsTheConfiguredClientOriginsOnly() {
        try (TestServer server = TestServer.start(Map.of("CLIENT_URL", "https://chat.example.com/, http://localhost:4200"))) {
            HttpResponse<String> preflight = preflight(server, "https://chat.example.com");
            assertEquals("https://chat.example.com", preflight.headers()
                    .firstValue("Access-Control-Allow-Origin").orElse(null));
            assertTrue(preflight.headers().firstValue("Access-Control-Allow-Headers").orElse("").toLowerCase()
                    .contains("authorization"), preflight.headers().map().toString());
            assertEquals("http://localhost:4200", preflight(server, "http://localhost:4200").headers()
                    .firstValue("Access-Control-Allow-Origin").orElse(null));
            assertEquals(Optional.empty(), preflight(server, "https://evil.example.com").headers()
                    .firstValue("Access-Control-Allow-Origin"));

            HttpResponse<String> actual = server.send(HttpRequest.newBuilder(server.uri("/conversations"))
                    .header("Origin", "https://chat.example.com").header("Authorization", server.token("alice"))
                    .GET().build());
            assertEquals(200, actual.statusCode());
            assertEquals("https://chat.example.com", actual.headers().firstValue("Access-Control-Allow-Origin")
                    .orElse(null));
            assertTrue(actual.headers().firstValue("Access-Control-Expose-Headers").orElse("").toLowerCase()
                    .contains("etag"), "a page may read the list's tag: " + actual.headers().map());
            HttpResponse<String> conditional = server.send(HttpRequest.newBuilder(server.uri("/conversations"))
                    .header("Origin", "https://chat.example.com").header("Authorization", server.token("alice"))
                    .header("If-None-Match", actual.headers().firstValue("ETag").orElseThrow()).GET().build());
            assertEquals(304, conditional.statusCode());
            assertEquals("https://chat.example.com", conditional.headers().firstValue("Access-Control-Allow-Origin")
                    .orElse(null), "a 304 is readable cross-origin too");
            HttpResponse<String> revalidating = server.send(HttpRequest.newBuilder(server.uri("/conversations"))
                    .header("Origin", "https://chat.example.com")
                    .header("Access-Control-Request-Method", "GET")
                    .header("Access-Control-Request-Headers", "authorization,if-none-match")
                    .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build());
            assertTrue(revalidating.headers().firstValue("Access-Control-Allow-Headers").orElse("").toLowerCase()
                    .contains("if-none-match"), revalidating.headers().map().toString());
        }
    }

    @Test
    void withoutClientUrlDevelopmentModeAllowsAnyOrigin() {
        try (TestServer server = TestServer.start()) {
            String allowed = preflight(server, "http://localhost:3000").headers()
                    .firstValue("Access-Control-Allow-Origin").orElse(null);
            assertTrue("*".equals(allowed) || "http://localhost:3000".equals(allowed), String.valueOf(allowed));
        }
    }

    private static HttpResponse<String> preflight(TestServer server, String origin) {
        return server.send(HttpRequest.newBuilder(server.uri("/conversations"))
                .header("Origin", origin)
                .header("Access-Control-Request-Method", "GET")
                .header("Access-Control-Request-Headers", "authorization,content-type")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build());
    }

    @Test
    void floodControlAnswers429AndKeepsTheSocket() {
        try (TestServer server = TestServer.start(Map.of("FLOOD_BURST", "5", "FLOOD_REFILL_PER_SECOND", "2"))) {
            TestSocket chat = server.connect("/chat", server.token("alice"));
            for (int i = 0; i < 5; i++) {
                chat.send("{\"action\":\"probe\"}");
                assertEquals(400, chat.next("error").get("code").asInt(), "admitted, then refused as unknown");
            }
            chat.send("{\"action\":\"heartbeat\"}");
            JsonNode limited = chat.next("error");
            assertEquals(429, limited.get("code").asInt());
            assertEquals("heartbeat", limited.get("action").asText());
            assertTrue(chat.isOpen());

            // The server's clock is frozen: only moving it refills the bucket.
            server.clock.advance(Duration.ofMillis(500));
            chat.send("{\"action\":\"probe\"}");
            assertEquals(400, chat.next("error").get("code").asInt());
            chat.send("{\"action\":\"probe\"}");
            assertEquals(429, chat.next("error").get("code").asInt());
        }
    }

    @Test
    void theScheduledSweepTakesSilentUsersOffline() {
        try (TestServer server = TestServer.start(Map.of("PRESENCE_SWEEP_SECONDS", "1",
                "PRESENCE_TIMEOUT_SECONDS", "60"))) {
            TestSocket alice = server.connect("/presence", server.token("alice"));
            server.connect("/presence", server.token("bob"));
            // bob's coming online reaches alice first, so no frame below is mistaken for it (a
            // drain could finish before it arrived)
            while (!alice.nextOfType("update-presence").path("userId").asText().equals("bob")) {
                // alice's own coming online
            }
            // alice heartbeats half-way and the clock steps on only once the server has read it
            // (the answer to the frame after it): a sweep between the steps finds nobody, one after
            // them finds bob alone. Stepping 61 s before her heartbeat was read let a sweep take
            // her offline too, and then nobody told her of bob.
            server.clock.advance(Duration.ofSeconds(30));
            alice.send("{\"action\":\"heartbeat\"}");
            alice.send("{\"action\":\"probe\"}");
            alice.next("error");
            server.clock.advance(Duration.ofSeconds(31));
            // No sweep is triggered by hand: the schedule finds bob silent for over 60 s.
            assertEquals("{\"type\":\"presence-timeout\",\"userId\":\"bob\"}",
                    alice.nextOfType("presence-timeout").toString());
        }
    }

    @Test
    void stoppingClosesEverySocketWith1001() {
        TestServer server = TestServer.start();
        String alice = server.token("alice");
        TestSocket chat = server.connect("/chat", alice);
        TestSocket presence = server.connect("/presence", server.token("bob"));
        server.server.stop();
        assertEquals(1001, chat.awaitClose());
        assertEquals(1001, presence.awaitClose());
    }

    @Test
    void stoppingLetsInFlightRequestsFinishAndRefusesNewOnes() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Stores stores = new Stores(new SlowListing(new InMemoryConversationStore(), entered, release),
                InMemorySocialGraph.demo(), new InMemoryPresenceStore(), new InMemoryConnectionRegistry(),
                UnaryOperator.identity(), List.of(), List.of(), List.of());
        TestServer server = TestServer.start(Map.of(), stores);
        String alice = server.token("alice");
        CompletableFuture<HttpResponse<String>> inFlight = server.http.sendAsync(
                HttpRequest.newBuilder(server.uri("/conversations")).header("Authorization", alice).build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(entered.await(5, TimeUnit.SECONDS), "request reached the store");

        CompletableFuture<Void> stopping = CompletableFuture.runAsync(server.server::stop);
        awaitRefused(server);
        release.countDown();
        HttpResponse<String> finished = inFlight.get(10, TimeUnit.SECONDS);
        assertEquals(200, finished.statusCode());
        assertEquals("[]", finished.body());
        stopping.get(15, TimeUnit.SECONDS);
    }

    /** Waits, bounded, until the stopping server no longer takes new requests. */
    private static void awaitRefused(TestServer server) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> answer = java.net.http.HttpClient.newHttpClient().send(
                        HttpRequest.newBuilder(server.uri("/health")).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (answer.statusCode() == 503) {
                    return;
                }
            } catch (ConnectException e) {
                return;
            } catch (java.io.IOException e) {
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            Thread.onSpinWait();
        }
        throw new AssertionError("the server kept taking requests while stopping");
    }

    /** A conversation store whose listing waits for the test: a request that is in flight on demand. */
    private static final class SlowListing implements ConversationStore {
        private final ConversationStore delegate;
        private final CountDownLatch entered;
        private final CountDownLatch release;

        SlowListing(ConversationStore delegate, CountDownLatch entered, CountDownLatch release) {
            this.delegate = delegate;
            this.entered = entered;
            this.release = release;
        }

        @Override
        public List<ConversationActivity> activityOf(String userId) {
            entered.countDown();
            try {
                if (!release.await(10, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("never released");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            return delegate.activityOf(userId);
        }

        @Override
        public Conversation createGroup(String createdBy, String title, Set<String> participantIds, Instant createdAt) {
            return delegate.createGroup(createdBy, title, participantIds, createdAt);
        }

        @Override
        public Conversation findOrCreateDirect(String createdBy, String otherUserId, Instant createdAt) {
            return delegate.findOrCreateDirect(createdBy, otherUserId, createdAt);
        }

        @Override
        public Optional<Conversation> find(UUID conversationId) {
            return delegate.find(conversationId);
        }

        @Override
        public Optional<UUID> findDirect(String userA, String userB) {
            return delegate.findDirect(userA, userB);
        }

        @Override
        public Optional<Message> findMessage(UUID messageId) {
            return delegate.findMessage(messageId);
        }

        @Override
        public Appended append(UUID conversationId, String senderId, String tempMessageId, String content,
                               Instant sentAt) {
            return delegate.append(conversationId, senderId, tempMessageId, content, sentAt);
        }

        @Override
        public List<Message> newest(UUID conversationId, int offset, int limit) {
            return delegate.newest(conversationId, offset, limit);
        }

        @Override
        public List<Message> before(UUID conversationId, long seq, int limit) {
            return delegate.before(conversationId, seq, limit);
        }

        @Override
        public List<Message> after(UUID conversationId, long seq, int limit) {
            return delegate.after(conversationId, seq, limit);
        }

        @Override
        public Optional<Message> edit(UUID messageId, String content, Instant editedAt) {
            return delegate.edit(messageId, content, editedAt);
        }

        @Override
        public Optional<Message> delete(UUID messageId, Instant deletedAt) {
            return delegate.delete(messageId, deletedAt);
        }

        @Override
        public long markRead(UUID conversationId, String userId) {
            return delegate.markRead(conversationId, userId);
        }

        @Override
        public long listVersion(String userId) {
            return delegate.listVersion(userId);
        }
    }
}
