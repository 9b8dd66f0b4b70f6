package io.pagenow.bench;

import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One client socket. The JDK's WebSocket allows one outstanding send at a time, so frames queue
 * here and go out in order as fast as the socket takes them; the open-loop schedule stays
 * untouched and any queueing shows up in the measured latency.
 */
final class BenchSocket implements WebSocket.Listener {

    /** Called on a socket thread for every complete text frame, in arrival order. */
    @FunctionalInterface
    interface Handler {
        void onFrame(BenchSocket socket, String text, long receivedNanos);
    }

    /** How the socket ended; {@code code} -1 for an error. */
    record Closed(int code, String reason) {
    }

    final String userId;
    private final Handler handler;
    /** Where a failed send or an unreadable frame is counted. */
    private final Errors errors;
    /** The connection, once open. */
    private volatile WebSocket ws;
    /** Set when the bench closes the socket itself: that close is not counted as dropped. */
    private volatile boolean closing;
    /** Frames waiting for the one send the JDK's WebSocket allows at a time, and whether it is out. */
    private final Queue<String> outbox = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean writing = new AtomicBoolean();
    /** A text frame that arrives in parts, until its last. */
    private final StringBuilder partial = new StringBuilder();
    private final CompletableFuture<Closed> closed = new CompletableFuture<>();

    BenchSocket(String userId, Handler handler, Errors errors) {
        this.userId = userId;
        this.handler = handler;
        this.errors = errors;
    }

    void attach(WebSocket socket) {
        this.ws = socket;
    }

    void send(String text) {
        outbox.add(text);
        pump();
    }

    private void pump() {
        while (writing.compareAndSet(false, true)) {
            String next = outbox.poll();
            if (next == null) {
                writing.set(false);
                if (outbox.isEmpty()) {
                    return;
                }
                continue;
            }
            CompletableFuture<WebSocket> sent = ws.sendText(next, true);
            if (sent.isDone()) {
                if (sent.isCompletedExceptionally()) {
                    errors.add("send failed");
                }
                writing.set(false);
                continue;
            }
            sent.whenComplete((w, e) -> {
                if (e != null) {
                    errors.add("send failed");
                }
                writing.set(false);
                pump();
            });
            return;
        }
    }

    /** Completes when the server closed the socket or it failed; never while it stays open. */
    CompletableFuture<Closed> closed() {
        return closed;
    }

    boolean isOpen() {
        return !closed.isDone();
    }

    /** Closes normally; a close the benchmark asked for is not counted as a dropped socket. */
    CompletableFuture<?> close() {
        closing = true;
        WebSocket socket = ws;
        if (socket == null || closed.isDone()) {
            return CompletableFuture.completedFuture(null);
        }
        return socket.sendClose(WebSocket.NORMAL_CLOSURE, "bench done")
                .exceptionally(e -> {
                    socket.abort();
                    return socket;
                });
    }

    boolean closedByUs() {
        return closing;
    }

    /**
     * Drops the connection at once. For a socket whose closing handshake never finished: the
     * JDK's client keeps such a connection (and its file descriptor) open for as long as the
     * process lives, however unreachable its client becomes.
     */
    void abort() {
        closing = true;
        WebSocket socket = ws;
        if (socket != null) {
            socket.abort();
        }
        closed.complete(new Closed(-1, "aborted by the bench"));
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        this.ws = webSocket;
        // Frames are handled synchronously, in order; asking for all of them saves a round of
        // scheduling per frame.
        webSocket.request(Long.MAX_VALUE);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        long now = System.nanoTime();
        String text;
        if (last && partial.length() == 0) {
            text = data.toString();
        } else {
            partial.append(data);
            if (!last) {
                return null;
            }
            text = partial.toString();
            partial.setLength(0);
        }
        try {
            handler.onFrame(this, text, now);
        } catch (RuntimeException e) {
            errors.add("unreadable event");
        }
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.complete(new Closed(statusCode, reason));
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.complete(new Closed(-1, String.valueOf(error)));
    }
}
