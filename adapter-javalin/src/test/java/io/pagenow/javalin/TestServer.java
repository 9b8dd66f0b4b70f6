package io.pagenow.javalin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pagenow.core.memory.InMemorySocialGraph;
import io.pagenow.core.testing.MutableClock;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** A real server on a free port with a hand-moved clock, and real HTTP and WebSocket clients for it. */
final class TestServer implements AutoCloseable {

    static final ObjectMapper MAPPER = new ObjectMapper();

    final MutableClock clock = MutableClock.startingAt("2026-11-23T10:15:30.123Z");
    final PageNowServer server;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<TestSocket> sockets = new ArrayList<>();

    private TestServer(Map<String, String> env, Stores stores) {
        Map<String, String> all = new HashMap<>(Map.of("PORT", "0", "PRESENCE_SWEEP_SECONDS", "3600",
                "NODE_ID", "test-node"));
        all.putAll(env);
        ServerConfig config = ServerConfig.fromEnvironment(all);
        server = new PageNowServer(config, stores == null ? Main.stores(config) : stores, clock).start();
    }

    /** Development mode on the demo graph: alice, bob, carol are friends; dave has none. */
    static TestServer start() {
        return new TestServer(Map.of(), null);
    }

    static TestServer start(Map<String, String> env) {
        return new TestServer(env, null);
    }

    static TestServer start(Map<String, String> env, Stores stores) {
        return new TestServer(env, stores);
    }

    static Stores demoStores() {
        return Stores.inMemory(InMemorySocialGraph.demo());
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError("request failed: " + request, e);
        }
    }

    HttpResponse<String> get(String path, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).GET();
        if (token != null) {
            request.header("Authorization", token);
        }
        return send(request.build());
    }

    HttpResponse<String> post(String path, String token, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", token);
        }
        return send(request.build());
    }

    /** The body of a 200 answer, parsed. */
    static JsonNode ok(HttpResponse<String> response) {
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElse("")
                .split(";")[0].strip());
        return json(response.body());
    }

    /** Asserts an error answer with its {@code {"error": ...}} body, and returns the message. */
    static String error(int status, HttpResponse<String> response) {
        assertEquals(status, response.statusCode(), response.body());
        JsonNode body = json(response.body());
        assertEquals(1, body.size(), response.body());
        return body.get("error").asText();
    }

    static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    /** Waits, bounded, until {@code /ready} answers 200: every store reachable (a relay subscribed). */
    void awaitReady() {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        HttpResponse<String> ready = get("/ready", null);
        while (ready.statusCode() != 200) {
            if (System.nanoTime() > deadline) {
                fail("not ready within 10 s: " + ready.body());
            }
            Thread.onSpinWait();
            ready = get("/ready", null);
        }
    }

    /** A token from the development issuer. */
    String token(String userId) {
        return ok(post("/dev/token", null, "{\"userId\":\"" + userId + "\"}")).get("token").asText();
    }

    TestSocket connect(String path, String token) {
        try {
            TestSocket socket = TestSocket.open(http, wsUri(path, token));
            sockets.add(socket);
            return socket;
        } catch (Exception e) {
            throw new AssertionError("socket did not open", e);
        }
    }

    URI wsUri(String path, String token) {
        return URI.create("ws://127.0.0.1:" + server.port() + path
                + (token == null ? "" : "?Authorization=" + URLEncoder.encode(token, StandardCharsets.UTF_8)));
    }

    /** The HTTP status the upgrade was refused with; fails when a socket opened. */
    int refusedUpgrade(String path, String token) {
        try {
            TestSocket socket = TestSocket.open(http, wsUri(path, token));
            socket.close();
            fail("a socket opened on " + path);
            return -1;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException handshake) {
                return handshake.getResponse().statusCode();
            }
            throw new AssertionError("unexpected failure", e);
        } catch (Exception e) {
            throw new AssertionError("unexpected failure", e);
        }
    }

    @Override
    public void close() {
        for (TestSocket socket : sockets) {
            if (socket.isOpen()) {
                socket.close();
            }
        }
        server.stop();
    }
}
