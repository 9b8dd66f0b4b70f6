package io.pagenow.javalin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** A real WebSocket client (the JDK's) that queues every frame it receives. */
final class TestSocket implements WebSocket.Listener, AutoCloseable {

    // Generous: a bound on waiting for an event, not a timing claim; CI machines can be loaded.
    static final long WAIT_SECONDS = 20;
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final AtomicInteger BARRIERS = new AtomicInteger();

    private final BlockingQueue<Received> frames = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private WebSocket socket;

    /** Opens the socket; throws the handshake failure (e.g. a 401) as the cause of an ExecutionException. */
    static TestSocket open(HttpClient http, URI uri) throws ExecutionException, InterruptedException, TimeoutException {
        TestSocket listener = new TestSocket();
        listener.socket = http.newWebSocketBuilder().buildAsync(uri, listener).get(WAIT_SECONDS, TimeUnit.SECONDS);
        return listener;
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            try {
                frames.add(new Received(MAPPER.readTree(partial.toString()), System.nanoTime()));
            } catch (Exception e) {
                closed.completeExceptionally(new AssertionError("server sent non-JSON: " + partial, e));
            }
            partial.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.completeExceptionally(error);
    }

    void send(String text) {
        try {
            socket.sendText(text, true).get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("send failed", e);
        }
    }

    void sendBinary(byte[] bytes) {
        try {
            socket.sendBinary(ByteBuffer.wrap(bytes), true).get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("send failed", e);
        }
    }

    /** The next frame, waiting a bounded time. */
    JsonNode next() {
        return next(Duration.ofSeconds(WAIT_SECONDS));
    }

    /** The next frame, waiting at most {@code wait}. */
    JsonNode next(Duration wait) {
        return nextReceived(wait).frame();
    }

    /** The next frame with the moment it arrived, waiting at most {@code wait}. */
    Received nextReceived(Duration wait) {
        Received received = pollReceived(wait);
        if (received == null) {
            fail("no frame within " + wait);
        }
        return received;
    }

    /** The next frame, or null when none came within {@code wait}. */
    JsonNode poll(Duration wait) {
        Received received = pollReceived(wait);
        return received == null ? null : received.frame();
    }

    private Received pollReceived(Duration wait) {
        try {
            return frames.poll(wait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The next frame, which must be of this type. */
    JsonNode next(String type) {
        JsonNode frame = next();
        assertEquals(type, frame.path("type").asText(), "frame: " + frame);
        return frame;
    }

    /** Skips frames of other types (e.g. presence updates caused by connecting) up to one of this type. */
    JsonNode nextOfType(String type) {
        while (true) {
            JsonNode frame = next();
            if (type.equals(frame.path("type").asText())) {
                return frame;
            }
        }
    }

    /**
     * Every frame received before a round trip on this socket. The server answers frames of one
     * socket in order and queues its pushes in order, so whatever it had queued for this socket
     * before the barrier comes back first: a bounded way to show something did NOT arrive.
     */
    List<JsonNode> drain() {
        String barrier = "barrier-" + BARRIERS.incrementAndGet();
        send("{\"action\":\"" + barrier + "\"}");
        List<JsonNode> before = new ArrayList<>();
        while (true) {
            JsonNode frame = next();
            if (frame.path("type").asText().equals("error") && frame.path("action").asText().equals(barrier)) {
                return before;
            }
            before.add(frame);
        }
    }

    /** The close code the server sent, waiting a bounded time. */
    int awaitClose() {
        try {
            return closed.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("socket not closed by the server", e);
        }
    }

    boolean isOpen() {
        return !socket.isInputClosed() && !socket.isOutputClosed() && !closed.isDone();
    }

    /** Drops the connection without a close handshake, as a client that lost its network does. */
    void abort() {
        socket.abort();
    }

    /**
     * A frame as the client got it.
     *
     * @param atNanos {@link System#nanoTime()} when its last part arrived, so a test can tell when a
     *                frame was answered however late it looks at the answer
     */
    record Received(JsonNode frame, long atNanos) {
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
        }
        try {
            closed.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            socket.abort();
        }
    }
}
