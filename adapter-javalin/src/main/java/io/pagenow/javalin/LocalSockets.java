package io.pagenow.javalin;

import io.pagenow.core.delivery.Channel;
import io.pagenow.core.delivery.port.out.ClientPush;
import io.pagenow.core.delivery.Connection;
import io.pagenow.core.delivery.Event;
import io.pagenow.protocol.EventJson;
import io.pagenow.protocol.TokenBucket;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The sockets this node holds, by connection id, and the push to them. A connection this node
 * does not hold is reported gone: in a single-node setup it is, and a multi-node relay wrapping
 * this push only hands it the connections of this node.
 */
final class LocalSockets implements ClientPush {

    private static final Logger LOG = LoggerFactory.getLogger(LocalSockets.class);

    private final Map<String, Socket> byConnectionId = new ConcurrentHashMap<>();
    private final Map<String, Socket> bySession = new ConcurrentHashMap<>();
    /** Each user's sockets, oldest first. */
    private final Map<String, Deque<Socket>> byUser = new ConcurrentHashMap<>();
    private final ServerMetrics metrics;
    private final int maxPerUser;
    private final ReadWriteLock closingLock = new ReentrantReadWriteLock();
    private boolean closing;

    LocalSockets(ServerMetrics metrics, int maxPerUser) {
        this.metrics = metrics;
        this.maxPerUser = maxPerUser;
        metrics.connectionsOpen(this, s -> s.count(Channel.CHAT), s -> s.count(Channel.PRESENCE));
    }

    /** One open socket: its connection, its Jetty session, its flood control bucket and its frames in hand. */
    record Socket(Connection connection, String sessionId, Session session, TokenBucket allowance,
                  FrameLines.Line frames) {

        /**
         * A frame that cannot be sent (the client stopped reading and its queue is full, or the
         * connection broke) must not be skipped silently: the client would show a stale chat or
         * presence with no sign of it. The connection is dropped instead; its close handler
         * unregisters it (friends see the user leave when it was the last presence socket), and
         * the client reconnects and reads the current state.
         */
        void send(String frame, ServerMetrics metrics) {
            session.sendText(frame, Callback.from(() -> { }, failure -> {
                metrics.pushFailed();
                LOG.atDebug().addKeyValue("connectionId", connection.id()).addKeyValue("cause", failure.toString())
                        .log("push failed, dropping the connection");
                session.disconnect();
            }));
        }
    }

    /**
     * Holds a newly opened socket, unless {@link #closeAll} has begun: a socket whose open handler
     * runs during a stop would otherwise be missed by it and keep the stop waiting. Adds share the
     * read side of a lock, so they do not wait for each other (every upgrade of a connect storm
     * queued on this object's monitor); only {@link #closeAll} excludes them, for a moment.
     *
     * @return false when the node is closing its sockets; the caller closes this one
     */
    boolean add(Socket socket) {
        Lock adding = closingLock.readLock();
        adding.lock();
        try {
            if (closing) {
                return false;
            }
            bySession.put(socket.sessionId(), socket);
            byConnectionId.put(socket.connection().id(), socket);
        } finally {
            adding.unlock();
        }
        closeOldestBeyondTheCap(socket);
        return true;
    }

    /**
     * A user's sockets past {@code MAX_SOCKETS_PER_USER}: the oldest is closed (1008), not the new
     * one refused, so a user whose old tabs or a sleeping laptop left sockets behind is never
     * locked out until those time out; the newest tabs are the ones in use.
     */
    private void closeOldestBeyondTheCap(Socket socket) {
        List<Socket> evicted = new ArrayList<>();
        byUser.compute(socket.connection().userId(), (user, sockets) -> {
            Deque<Socket> held = sockets == null ? new ArrayDeque<>() : sockets;
            held.addLast(socket);
            while (held.size() > maxPerUser) {
                evicted.add(held.pollFirst());
            }
            return held;
        });
        for (Socket oldest : evicted) {
            metrics.error("ws", 1008);
            oldest.session().close(StatusCode.POLICY_VIOLATION,
                    "Over " + maxPerUser + " sockets for this user: the oldest is closed", Callback.NOOP);
        }
    }

    /** Sockets held now, both channels. */
    int size() {
        return bySession.size();
    }

    Optional<Socket> bySession(String sessionId) {
        return Optional.ofNullable(bySession.get(sessionId));
    }

    Optional<Socket> remove(String sessionId) {
        Socket socket = bySession.remove(sessionId);
        if (socket == null) {
            return Optional.empty();
        }
        byConnectionId.remove(socket.connection().id());
        byUser.computeIfPresent(socket.connection().userId(), (user, sockets) -> {
            sockets.remove(socket);
            return sockets.isEmpty() ? null : sockets;
        });
        synchronized (this) {
            notifyAll();
        }
        return Optional.of(socket);
    }

    /** The sockets held now, for a repair: a snapshot, sockets opened or closed meanwhile may be in or out. */
    List<Socket> held() {
        return List.copyOf(byConnectionId.values());
    }

    boolean holds(String connectionId) {
        return byConnectionId.containsKey(connectionId);
    }

    int count(Channel channel) {
        int count = 0;
        for (Socket socket : byConnectionId.values()) {
            if (socket.connection().channel() == channel) {
                count++;
            }
        }
        return count;
    }

    @Override
    public Set<String> push(List<Connection> targets, Event event) {
        String frame = EventJson.encode(event);
        Set<String> gone = new HashSet<>();
        int sent = 0;
        for (Connection target : targets) {
            Socket socket = byConnectionId.get(target.id());
            if (socket == null) {
                gone.add(target.id());
            } else if (socket.session().isOpen()) {
                socket.send(frame, metrics);
                sent++;
            }
            // A socket still held but closing is not reported gone: its close handler unregisters it
            // through the use case, which is what tells friends a user left.
        }
        if (sent > 0) {
            metrics.pushed(EventJson.type(event), sent);
        }
        return gone;
    }

    /** Closes every socket with the code, and any opened from now on; their close handlers unregister them. */
    void closeAll(int code, String reason) {
        Lock closingNow = closingLock.writeLock();
        closingNow.lock();
        try {
            closing = true;
        } finally {
            closingNow.unlock();
        }
        for (Socket socket : byConnectionId.values()) {
            socket.session().close(code, reason, Callback.NOOP);
        }
    }

    /**
     * Waits, at most {@code timeout}, until no more than {@code count} sockets are held: a socket is
     * held until its close handler has finished unregistering it.
     */
    synchronized boolean awaitAtMost(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (bySession.size() > count) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }
}
