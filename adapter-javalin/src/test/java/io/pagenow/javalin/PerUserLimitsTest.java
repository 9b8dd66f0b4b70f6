package io.pagenow.javalin;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import static io.pagenow.javalin.TestServer.error;
import static io.pagenow.javalin.TestServer.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Limits per user over real sockets: frames over all of a user's sockets, sockets per user, REST
 * requests per user, and the node's socket cap that keeps descriptors for everything else. The
 * server's clock does not move, so a bucket once empty stays empty.
 */
class PerUserLimitsTest {

    private static final String HEARTBEAT = "{\"action\":\"heartbeat\"}";

    @Test
    void allOfAUsersSocketsShareOneFrameBudget() {
        try (TestServer server = TestServer.start(Map.of("USER_FLOOD_BURST", "4"))) {
            String alice = server.token("alice");
            TestSocket first = server.connect("/chat", alice);
            TestSocket second = server.connect("/presence", alice);
            TestSocket bob = server.connect("/chat", server.token("bob"));
            first.send(HEARTBEAT);
            first.send(HEARTBEAT);
            // The barrier (a third frame) also orders these before the other socket's frames.
            assertEquals(List.of(), first.drain());
            second.send(HEARTBEAT);
            second.send(HEARTBEAT);
            JsonNode refused = second.nextOfType("error");
            assertEquals(429, refused.get("code").asInt(), refused.toString());
            assertEquals("Too many frames from this user: slow down and retry", refused.get("message").asText());
            first.send(HEARTBEAT);
            assertEquals(429, first.next("error").get("code").asInt(), "the other socket shares the budget");
            assertEquals(List.of(), bob.drain(), "another user has a budget of his own");
            assertTrue(first.isOpen() && second.isOpen());
        }
    }

    @Test
    void aUsersSocketsBeyondTheCapCloseTheOldestWith1008() {
        try (TestServer server = TestServer.start(Map.of("MAX_SOCKETS_PER_USER", "2"))) {
            String alice = server.token("alice");
            TestSocket oldest = server.connect("/chat", alice);
            TestSocket middle = server.connect("/presence", alice);
            TestSocket bob = server.connect("/chat", server.token("bob"));
            TestSocket newest = server.connect("/chat", alice);
            assertEquals(1008, oldest.awaitClose());
            assertEquals(List.of(), newest.drain());
            middle.drain();
            assertTrue(middle.isOpen() && newest.isOpen() && bob.isOpen());
        }
    }

    @Test
    void restRequestsPastAUsersRateAre429WithRetryAfter() {
        try (TestServer server = TestServer.start(Map.of("REST_RATE_BURST", "3"))) {
            String alice = server.token("alice");
            for (int i = 0; i < 3; i++) {
                ok(server.get("/conversations", alice));
            }
            HttpResponse<String> refused = server.get("/conversations", alice);
            assertEquals("Too many requests: slow down and retry", error(429, refused));
            assertEquals("1", refused.headers().firstValue("Retry-After").orElse(""));
            ok(server.get("/presence", server.token("bob")));
            ok(server.get("/health", null));
        }
    }

    @Test
    void pastTheNodesSocketCapNewSocketsAre503AndEverythingElseStillAnswers() {
        try (TestServer server = TestServer.start(Map.of("MAX_SOCKETS", "2"))) {
            String alice = server.token("alice");
            String bob = server.token("bob");
            server.connect("/chat", alice);
            server.connect("/presence", bob);
            assertEquals(503, server.refusedUpgrade("/chat", server.token("carol")));
            ok(server.get("/health", null));
            ok(server.get("/ready", null));
            assertEquals(200, server.get("/metrics", null).statusCode());
            ok(server.get("/conversations", alice));
        }
    }
}
