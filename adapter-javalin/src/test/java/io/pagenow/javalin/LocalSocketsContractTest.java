package io.pagenow.javalin;

import com.fasterxml.jackson.databind.JsonNode;
import io.pagenow.core.contract.ClientPushContract;
import io.pagenow.core.delivery.Channel;
import io.pagenow.core.delivery.Connection;
import io.pagenow.core.delivery.Event;
import io.pagenow.core.delivery.port.out.ClientPush;
import io.pagenow.protocol.EventJson;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The push to this node's own sockets, on a real server: a target is a WebSocket the JDK's client
 * opened, a closed one was closed by its client (and its close handler has run), a failing one
 * dropped its TCP connection without a close handshake.
 */
class LocalSocketsContractTest extends ClientPushContract {

    private final Stores stores = TestServer.demoStores();
    private final Map<String, TestSocket> clients = new HashMap<>();
    private TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.start(Map.of(), stores);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Override
    protected ClientPush push() {
        return server.server.localSockets();
    }

    @Override
    protected Connection open(String userId, Channel channel) {
        Set<String> before = idsOf(userId, channel);
        TestSocket client = server.connect(channel == Channel.CHAT ? "/chat" : "/presence", server.token(userId));
        // A round trip: the server answers a frame only after the socket's open handler registered it.
        client.drain();
        Set<String> added = idsOf(userId, channel);
        added.removeAll(before);
        assertEquals(1, added.size(), "one connection registered for the socket");
        Connection connection = stores.connections().find(added.iterator().next()).orElseThrow();
        clients.put(connection.id(), client);
        return connection;
    }

    private Set<String> idsOf(String userId, Channel channel) {
        return stores.connections().connectionsOf(List.of(userId), channel).stream()
                .map(Connection::id).collect(Collectors.toSet());
    }

    @Override
    protected void close(Connection target) throws InterruptedException {
        clients.remove(target.id()).close();
        // The server holds a socket until its close handler is done.
        assertTrue(server.server.awaitSocketsAtMost(clients.size(), WAIT), "the server let go of the socket");
    }

    @Override
    protected Connection failing(String userId, Channel channel) {
        Connection target = open(userId, channel);
        clients.get(target.id()).abort();
        return target;
    }

    @Override
    protected boolean received(Connection target, Event event, Duration within) {
        JsonNode expected = TestServer.json(EventJson.encode(event));
        TestSocket client = clients.get(target.id());
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            // Other frames (friends' presence caused by the sockets this test opened) come too.
            JsonNode frame = client.poll(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            if (frame == null) {
                return false;
            }
            if (frame.equals(expected)) {
                return true;
            }
        }
    }
}
