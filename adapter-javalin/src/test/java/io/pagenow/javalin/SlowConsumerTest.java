package io.pagenow.javalin;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.net.http.WebSocket;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A client that stops reading: once its queue is full the server cannot push to it, and instead
 * of skipping frames it silently misses, the server drops the connection, which friends see as
 * the user leaving. Real sockets; the stalled client asks its socket for no frame at all.
 */
class SlowConsumerTest {

    /** Enough large updates to fill the kernel's buffers on both ends and then the server's queue. */
    private static final int UPDATES = 8_000;

    @Test
    void aSocketThatStopsReadingIsDroppedNotSilentlySkipped() throws Exception {
        try (TestServer server = TestServer.start(Map.of("FLOOD_BURST", "100000", "FLOOD_REFILL_PER_SECOND", "100000"))) {
            WebSocket stalled = server.http.newWebSocketBuilder()
                    .buildAsync(server.wsUri("/presence", server.token("alice")), new WebSocket.Listener() {
                        @Override
                        public void onOpen(WebSocket webSocket) {
                            // Never requests a frame: the client reads nothing from now on.
                        }
                    })
                    .get(TestSocket.WAIT_SECONDS, TimeUnit.SECONDS);
            try (TestSocket bob = server.connect("/presence", server.token("bob"))) {
                String url = "https://example.com/" + "p".repeat(1900);
                String title = "t".repeat(500);
                for (int i = 0; i < UPDATES; i++) {
                    bob.send("{\"action\":\"update-presence\",\"url\":\"" + url + i + "\",\"title\":\"" + title + "\"}");
                }
                JsonNode left = bob.nextOfType("presence-timeout");
                assertEquals("alice", left.path("userId").asText());
                String metrics = server.get("/metrics", null).body();
                assertTrue(metrics.lines().anyMatch(line -> line.startsWith("pagenow_push_failures_total")
                        && !line.endsWith(" 0.0")), metrics);
            } finally {
                stalled.abort();
            }
        }
    }
}
