package io.pagenow.example.embedded;

import io.pagenow.core.delivery.port.out.ClientPush;
import io.pagenow.core.delivery.Connection;
import io.pagenow.core.delivery.Event;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The embedding program's own {@link ClientPush}: instead of sockets, each connection is an
 * in-process queue of events. A real embedder would write to its own transport here (a desktop
 * app's UI thread, an SSE stream, a message bus); the core neither knows nor cares.
 */
final class Inboxes implements ClientPush {

    private final Map<String, BlockingQueue<Event>> byConnection = new ConcurrentHashMap<>();

    /** Opens an inbox for a connection; events pushed to it queue up until read. */
    BlockingQueue<Event> open(Connection connection) {
        return byConnection.computeIfAbsent(connection.id(), id -> new LinkedBlockingQueue<>());
    }

    void close(String connectionId) {
        byConnection.remove(connectionId);
    }

    @Override
    public Set<String> push(List<Connection> targets, Event event) {
        // The port's contract: never throw for one target; report the ones that no longer exist,
        // so the core forgets them.
        Set<String> gone = new HashSet<>();
        for (Connection target : targets) {
            BlockingQueue<Event> inbox = byConnection.get(target.id());
            if (inbox == null) {
                gone.add(target.id());
            } else {
                inbox.add(event);
            }
        }
        return gone;
    }
}
