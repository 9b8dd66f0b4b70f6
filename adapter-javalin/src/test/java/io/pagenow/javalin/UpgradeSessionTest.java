package io.pagenow.javalin;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static io.pagenow.javalin.TestServer.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * WebSocket upgrades create no HTTP session: Javalin asks for one on every upgrade, and Jetty made
 * each under one global lock and kept it for good, which throttled connect storms.
 */
class UpgradeSessionTest {

    private static final int SOCKETS = 40;

    @Test
    void manySocketsOpenAndWorkWithoutAnyHttpSession() {
        try (TestServer server = TestServer.start()) {
            String alice = server.token("alice");
            String bob = server.token("bob");
            List<TestSocket> sockets = new ArrayList<>();
            for (int i = 0; i < SOCKETS; i++) {
                sockets.add(server.connect(i % 2 == 0 ? "/chat" : "/presence", i % 4 < 2 ? alice : bob));
            }
            for (TestSocket socket : sockets) {
                socket.send("{\"action\":\"nonsense\"}");
                assertEquals(400, socket.nextOfType("error").get("code").asInt());
            }
            ok(server.get("/conversations", alice));
            assertEquals(0, server.server.jetty().httpSessionsCreated());
        }
    }

    @Test
    void theListeningSocketQueuesAConnectBurst() {
        try (TestServer server = TestServer.start()) {
            assertEquals(JettyTuning.ACCEPT_QUEUE_SIZE, server.server.jetty().acceptQueueSize());
            assertTrue(JettyTuning.ACCEPT_QUEUE_SIZE >= 1024);
            ok(server.get("/health", null));
        }
    }

    @Test
    void requestsAreParsedWithoutAHeaderCacheAndStillAuthenticated() {
        try (TestServer server = TestServer.start()) {
            assertEquals(0, server.server.jetty().headerCacheSize());
            // The same connection, different tokens: each request is authenticated as its own.
            ok(server.get("/conversations", server.token("alice")));
            ok(server.get("/conversations", server.token("bob")));
            assertEquals(401, server.get("/conversations", null).statusCode());
        }
    }

    @Test
    void connectionIdsAreDistinctVersion4Uuids() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            String id = SocketLifecycle.newConnectionId();
            UUID uuid = UUID.fromString(id);
            assertEquals(4, uuid.version(), id);
            assertEquals(2, uuid.variant(), id);
            assertTrue(ids.add(id), "repeated: " + id);
        }
    }

    @Test
    void theUpgradeAnswerSetsNoSessionCookie() throws Exception {
        try (TestServer server = TestServer.start()) {
            List<String> headers = upgrade(server, "carol", "");
            assertTrue(headers.stream().anyMatch(h -> h.toLowerCase().startsWith("sec-websocket-accept:")), headers.toString());
            assertFalse(headers.stream().anyMatch(h -> h.toLowerCase().startsWith("set-cookie:")), headers.toString());
            assertEquals(0, server.server.jetty().httpSessionsCreated());
        }
    }

    /** Browsers offer permessage-deflate on every socket; the server declines it (docs/protocol.md). */
    @Test
    void aBrowsersDeflateOfferIsDeclined() throws Exception {
        try (TestServer server = TestServer.start()) {
            List<String> headers = upgrade(server, "dave",
                    "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n");
            assertTrue(headers.stream().anyMatch(h -> h.toLowerCase().startsWith("sec-websocket-accept:")), headers.toString());
            assertFalse(headers.stream().anyMatch(h -> h.toLowerCase().startsWith("sec-websocket-extensions:")),
                    headers.toString());
        }
    }

    /** A raw upgrade on /chat with {@code extraHeaders}; returns the 101 answer's header lines. */
    private static List<String> upgrade(TestServer server, String user, String extraHeaders) throws Exception {
        try (Socket raw = new Socket("127.0.0.1", server.server.port())) {
            String token = URLEncoder.encode(server.token(user), StandardCharsets.UTF_8);
            raw.setSoTimeout((int) TestSocket.WAIT_SECONDS * 1000);
            OutputStream out = raw.getOutputStream();
            out.write(("GET /chat?Authorization=" + token + " HTTP/1.1\r\n"
                    + "Host: 127.0.0.1:" + server.server.port() + "\r\n"
                    + "Upgrade: websocket\r\nConnection: Upgrade\r\n" + extraHeaders
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(raw.getInputStream(), StandardCharsets.US_ASCII));
            String status = in.readLine();
            assertNotNull(status);
            assertTrue(status.startsWith("HTTP/1.1 101"), status);
            List<String> headers = new ArrayList<>();
            for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                headers.add(line);
            }
            return headers;
        }
    }
}
