package io.pagenow.javalin;

import io.javalin.websocket.WsCloseContext;
import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsConnectContext;
import io.javalin.websocket.WsMessageContext;
import io.pagenow.core.delivery.Channel;
import io.pagenow.core.delivery.Connection;
import io.pagenow.core.error.RateLimitedException;
import io.pagenow.core.error.StoreUnavailableException;
import io.pagenow.protocol.EventJson;
import io.pagenow.protocol.Failure;
import io.pagenow.protocol.FloodControl;
import io.pagenow.protocol.FrameOutcome;
import io.pagenow.protocol.SocketApi;
import io.pagenow.protocol.ThrottledLog;
import io.pagenow.protocol.TokenBucket;
import io.pagenow.protocol.UserBuckets;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A socket's life on this node, from its opening to its close: its registering, the frames it
 * sends (one line per socket, in arrival order) and what is answered, and its unregistering.
 * Who may open one is {@link UpgradeAdmission}'s. The protocol's {@link SocketApi} decides what a
 * frame means; this class carries it between Jetty's session and that API.
 */
final class SocketLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(SocketLifecycle.class);

    /**
     * A frame that waited this long behind one refused because a store is out is refused too,
     * without trying the store: the frames of one socket would otherwise wait out each other's
     * store timeouts, one after another.
     */
    static final Duration STALE_BEHIND_UNAVAILABLE = Duration.ofMillis(500);

    private final NodeSockets node;
    private final FrameLines frames;
    private final Allowances allowances;
    private final ThrottledLog throttle;

    /**
     * Each new socket's flood control bucket: its own, sharing its user's.
     *
     * @param perUser the buckets shared by each user's sockets
     */
    record Allowances(FloodControl perSocket, UserBuckets perUser, Clock clock) {
        TokenBucket forSocketOf(String userId) {
            return perSocket.newBucket(clock).sharing(() -> perUser.of(userId));
        }
    }

    /** @param throttle keeps the failures that repeat for every socket in an outage to one line per interval */
    SocketLifecycle(NodeSockets node, FrameLines frames, Allowances allowances, ThrottledLog throttle) {
        this.node = node;
        this.frames = frames;
        this.allowances = allowances;
        this.throttle = throttle;
    }

    void handlers(WsConfig ws, Channel channel) {
        ws.onConnect(ctx -> opened(ctx, channel));
        ws.onMessage(this::received);
        ws.onBinaryMessage(ctx -> node.sockets().bySession(ctx.sessionId()).ifPresent(socket -> {
            node.metrics().error("ws", 400);
            socket.send(EventJson.error(null, 400, "Binary frames are not supported: send JSON text frames", null),
                    node.metrics());
        }));
        ws.onClose(this::closed);
        ws.onError(ctx -> LOG.atDebug().addKeyValue("session", ctx.sessionId())
                .addKeyValue("cause", String.valueOf(ctx.error())).log("socket error"));
    }

    private void opened(WsConnectContext ctx, Channel channel) {
        String userId = UpgradeAdmission.userOf(ctx);
        Connection connection = new Connection(newConnectionId(), userId, channel, node.nodeId());
        LocalSockets.Socket socket = new LocalSockets.Socket(connection, ctx.sessionId(), ctx.session,
                allowances.forSocketOf(userId), frames.newLine());
        // Held before it is registered, so the pushes its own opening causes reach it too.
        if (!node.sockets().add(socket)) {
            ctx.closeSession(StatusCode.SHUTDOWN, "Server shutting down");
            return;
        }
        try {
            node.api().open(connection);
        } catch (RuntimeException e) {
            // Not registered, so no push could reach it: tell the client why, then close.
            Failure failure = Failure.of(e);
            node.metrics().error("ws", failure.status());
            socket.send(EventJson.error(null, failure.status(), failure.message(), null), node.metrics());
            ctx.closeSession(failure.status() == 503 ? StatusCode.TRY_AGAIN_LATER : StatusCode.SERVER_ERROR,
                    failure.message());
            return;
        }
        // DEBUG: one line per socket through the console appender's lock made a connect storm queue on it.
        LOG.atDebug().addKeyValue("connectionId", connection.id()).addKeyValue("userId", userId)
                .addKeyValue("channel", channel).log("socket opened");
    }

    private void received(WsMessageContext ctx) {
        Optional<LocalSockets.Socket> held = node.sockets().bySession(ctx.sessionId());
        if (held.isEmpty()) {
            return;
        }
        LocalSockets.Socket socket = held.get();
        String frame = ctx.message();
        long arrived = System.nanoTime();
        if (!socket.frames().submit(() -> handle(socket, frame, arrived))) {
            answer(socket, node.api().refuse(socket.connection(), frame,
                    new RateLimitedException("Too many frames waiting on this socket: slow down and retry")), arrived);
        }
    }

    /** One frame, on the socket's line: its frames run one after another, in arrival order. */
    private void handle(LocalSockets.Socket socket, String frame, long arrived) {
        FrameOutcome outcome;
        if (socket.frames().lastUnavailable()
                && System.nanoTime() - arrived > STALE_BEHIND_UNAVAILABLE.toNanos()) {
            outcome = node.api().refuse(socket.connection(), frame,
                    new StoreUnavailableException("a store (the frame before on this socket found it out)", null));
        } else {
            outcome = node.api().handle(socket.connection(), frame, socket.allowance());
        }
        socket.frames().lastUnavailable(outcome.code() == 503);
        answer(socket, outcome, arrived);
    }

    private void answer(LocalSockets.Socket socket, FrameOutcome outcome, long arrived) {
        node.metrics().frame(socket.connection().channel(), outcome.action(), outcome.code(),
                Duration.ofNanos(System.nanoTime() - arrived));
        if (outcome.succeeded() && outcome.action().equals("send-message")) {
            node.metrics().messageSent();
        }
        if (outcome.reply().isPresent()) {
            node.metrics().error("ws", outcome.code());
            LOG.atDebug().addKeyValue("connectionId", socket.connection().id()).addKeyValue("action", outcome.action())
                    .addKeyValue("code", outcome.code()).log("frame refused");
            socket.send(outcome.reply().get(), node.metrics());
        }
    }

    private void closed(WsCloseContext ctx) {
        node.sockets().bySession(ctx.sessionId()).ifPresent(socket -> {
            Connection connection = socket.connection();
            try {
                node.api().close(connection.channel(), connection.id());
            } catch (RuntimeException e) {
                // The registry keeps a stale entry; the next push to it reports it gone and drops it.
                int status = Failure.of(e).status();
                long count = throttle.count("unregister " + status);
                if (count > 0) {
                    LOG.atWarn().addKeyValue("status", status).addKeyValue("count", count)
                            .log("unregistering closed sockets failed");
                }
            } finally {
                // Only now: a stop waits for this, so the stores are not closed under an unregister.
                node.sockets().remove(ctx.sessionId());
            }
            LOG.atDebug().addKeyValue("connectionId", connection.id()).addKeyValue("userId", connection.userId())
                    .addKeyValue("channel", connection.channel()).addKeyValue("code", ctx.status())
                    .log("socket closed");
        });
    }

    /**
     * A random (version 4) UUID for a new connection. Not {@link UUID#randomUUID()}: its one
     * SecureRandom is a lock every upgrade of a connect storm queued on. A connection id is never
     * sent to a client nor used as a secret, it only has to differ from every other open one, which
     * 122 bits from the thread's own generator ensure.
     */
    static String newConnectionId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(high, low).toString();
    }
}
