package io.pagenow.javalin;

import com.fasterxml.jackson.databind.JsonNode;
import io.pagenow.core.memory.InMemoryConnectionRegistry;
import io.pagenow.core.memory.InMemoryConversationStore;
import io.pagenow.core.memory.InMemoryPresenceStore;
import io.pagenow.core.memory.InMemorySocialGraph;
import io.pagenow.core.presence.Page;
import io.pagenow.core.presence.PresenceState;
import io.pagenow.core.presence.port.out.PresenceStore;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A stop answers the frames in flight before it closes their sockets with 1001. */
class GracefulStopTest {

    @Test
    void aFrameInFlightIsAnsweredBeforeItsSocketIsClosedWith1001() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Stores stores = new Stores(new InMemoryConversationStore(), InMemorySocialGraph.demo(),
                new SlowUpdates(new InMemoryPresenceStore(), entered, release), new InMemoryConnectionRegistry(),
                UnaryOperator.identity(), List.of(), List.of(), List.of());
        TestServer server = TestServer.start(Map.of(), stores);
        TestSocket alice = server.connect("/presence", server.token("alice"));
        TestSocket idle = server.connect("/chat", server.token("bob"));
        alice.drain();
        alice.send("{\"action\":\"update-presence\",\"url\":\"https://example.com/a\",\"title\":\"A\"}");
        assertTrue(entered.await(5, TimeUnit.SECONDS), "the frame reached the store");

        CompletableFuture<Void> stopping = CompletableFuture.runAsync(server.server::stop);
        awaitNotReady(server);
        release.countDown();

        JsonNode answer = alice.next("update-presence");
        assertEquals("https://example.com/a", answer.get("url").asText(), "the frame in flight was answered");
        assertEquals(1001, alice.awaitClose(), "then the socket was closed, going away");
        assertEquals(1001, idle.awaitClose());
        stopping.get(15, TimeUnit.SECONDS);
    }

    /** Waits, bounded, until the stop has begun: {@code /ready} says 503 or the port is closed. */
    private static void awaitNotReady(TestServer server) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> ready = java.net.http.HttpClient.newHttpClient().send(
                        java.net.http.HttpRequest.newBuilder(server.uri("/ready"))
                                .timeout(java.time.Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (ready.statusCode() == 503) {
                    return;
                }
            } catch (java.io.IOException e) {
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            Thread.onSpinWait();
        }
        throw new AssertionError("the server did not begin to stop");
    }

    /** A presence store whose page updates wait for the test: a frame in flight on demand. */
    private static final class SlowUpdates implements PresenceStore {
        private final PresenceStore delegate;
        private final CountDownLatch entered;
        private final CountDownLatch release;

        SlowUpdates(PresenceStore delegate, CountDownLatch entered, CountDownLatch release) {
            this.delegate = delegate;
            this.entered = entered;
            this.release = release;
        }

        @Override
        public boolean touch(String userId, Instant now) {
            return delegate.touch(userId, now);
        }

        @Override
        public PresenceState update(String userId, Page current, Page latestShared, Instant now) {
            entered.countDown();
            try {
                if (!release.await(10, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("never released");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            return delegate.update(userId, current, latestShared, now);
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
        public java.util.List<String> sweep(Instant cutoff) {
            return delegate.sweep(cutoff);
        }
    }
}
