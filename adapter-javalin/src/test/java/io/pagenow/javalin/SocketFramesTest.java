package io.pagenow.javalin;

import com.fasterxml.jackson.databind.JsonNode;
import io.pagenow.core.error.StoreUnavailableException;
import io.pagenow.core.memory.InMemoryConnectionRegistry;
import io.pagenow.core.memory.InMemoryConversationStore;
import io.pagenow.core.memory.InMemoryPresenceStore;
import io.pagenow.core.memory.InMemorySocialGraph;
import io.pagenow.core.presence.Page;
import io.pagenow.core.presence.PresenceState;
import io.pagenow.core.presence.port.out.PresenceStore;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The frames of one socket while a store is out: answered in order, without each trying the store again. */
class SocketFramesTest {

    /** Longer than the server's bound on waiting behind a refused frame (500 ms). */
    private static final Duration WAITED = Duration.ofMillis(700);

    @Test
    void framesWaitingBehindOneAStoreFailedAreRefusedWithoutWaitingOutTheStoreInTurn() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger updates = new AtomicInteger();
        Stores stores = new Stores(new InMemoryConversationStore(), InMemorySocialGraph.demo(),
                new OutUpdates(new InMemoryPresenceStore(), entered, release, updates), new InMemoryConnectionRegistry(),
                UnaryOperator.identity(), List.of(), List.of(), List.of());
        try (TestServer server = TestServer.start(Map.of(), stores)) {
            TestSocket alice = server.connect("/presence", server.token("alice"));
            alice.drain();
            alice.send(update("https://example.com/0"));
            assertTrue(entered.await(5, TimeUnit.SECONDS), "the first frame is waiting on the store");
            for (int i = 1; i <= 4; i++) {
                alice.send(update("https://example.com/" + i));
            }
            // Real time has to pass for the frames behind to have waited (the store's own timeout,
            // in production): a bounded pause on the socket, which receives nothing meanwhile.
            assertEquals(null, pollQuietly(alice, WAITED));
            release.countDown();

            List<JsonNode> answers = new ArrayList<>();
            for (int i = 0; i <= 4; i++) {
                answers.add(alice.next("error"));
            }
            for (JsonNode answer : answers) {
                assertEquals(503, answer.get("code").asInt(), answer.toString());
                assertEquals("update-presence", answer.get("action").asText());
            }
            assertEquals(1, updates.get(), "the frames that waited behind the failed one did not try the store in turn");

            alice.send(update("https://example.com/later"));
            assertEquals(503, alice.next("error").get("code").asInt(), "a frame not kept waiting tries the store");
            assertEquals(2, updates.get());
        }
    }

    private static JsonNode pollQuietly(TestSocket socket, Duration wait) {
        try {
            return socket.next(wait);
        } catch (AssertionError nothing) {
            return null;
        }
    }

    private static String update(String url) {
        return "{\"action\":\"update-presence\",\"url\":\"" + url + "\",\"title\":\"t\"}";
    }

    /** A presence store that is out for page updates: the first waits for the test, every one fails. */
    private static final class OutUpdates implements PresenceStore {
        private final PresenceStore delegate;
        private final CountDownLatch entered;
        private final CountDownLatch release;
        private final AtomicInteger updates;

        OutUpdates(PresenceStore delegate, CountDownLatch entered, CountDownLatch release, AtomicInteger updates) {
            this.delegate = delegate;
            this.entered = entered;
            this.release = release;
            this.updates = updates;
        }

        @Override
        public boolean touch(String userId, Instant now) {
            return delegate.touch(userId, now);
        }

        @Override
        public PresenceState update(String userId, Page current, Page latestShared, Instant now) {
            updates.incrementAndGet();
            entered.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new StoreUnavailableException("Test store", null);
        }

        @Override
        public Map<String, PresenceState> find(Collection<String> userIds) {
            return delegate.find(userIds);
        }

        @Override
        public boolean goOffline(String userId) {
            return delegate.goOffline(userId);
        }

        @Override
        public List<String> sweep(Instant cutoff) {
            return delegate.sweep(cutoff);
        }
    }
}
