package io.pagenow.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Opening and closing many sockets around a measurement (not itself measured). */
final class Sockets {

    private Sockets() {
    }

    /** One socket on {@code path} per user, in the users' order. */
    static BenchSocket[] open(Wire wire, List<String> users, String path, Map<String, String> tokens,
                              BenchSocket.Handler handler, Errors errors) {
        BenchSocket[] sockets = new BenchSocket[users.size()];
        List<Integer> indexes = new ArrayList<>(users.size());
        for (int i = 0; i < users.size(); i++) {
            indexes.add(i);
        }
        Wire.forEachBounded(indexes, 64, i -> wire.open(path, users.get(i), tokens.get(users.get(i)), i, handler, errors)
                .thenAccept(socket -> sockets[i] = socket));
        return sockets;
    }

    /** What {@link #whyNotOpened} names a socket the load generator itself could not open. */
    static final String GENERATOR_FAULT = "generator could not open a socket";

    /**
     * Why a socket did not open, short enough to count by kind. The JDK's HTTP client throws
     * {@link InternalError} when it cannot create its own socket channel (e.g. "Too many open
     * files" in this process): a limit of the load generator, not an answer of the server, and
     * named as such ({@link #GENERATOR_FAULT}).
     */
    static String whyNotOpened(Throwable e) {
        Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
        if (cause instanceof java.net.http.WebSocketHandshakeException handshake) {
            return "connect refused " + handshake.getResponse().statusCode();
        }
        if (cause instanceof InternalError) {
            Throwable root = cause;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            return GENERATOR_FAULT + " (" + root.getClass().getSimpleName()
                    + (root.getMessage() == null ? "" : ": " + root.getMessage()) + ")";
        }
        return "connect failed " + cause.getClass().getSimpleName();
    }

    static boolean isGeneratorFault(String why) {
        return why.startsWith(GENERATOR_FAULT);
    }

    /**
     * Closes every socket and waits (bounded) until the server has answered each close; drops
     * the connection of any that did not, so no step leaves the next one its sockets (open files
     * of this process, sessions on the server). Returns how many had to be dropped.
     */
    static long closeAll(BenchSocket[] sockets) {
        List<CompletableFuture<?>> closed = new ArrayList<>();
        for (BenchSocket socket : sockets) {
            if (socket != null) {
                socket.close();
                closed.add(socket.closed());
            }
        }
        try {
            CompletableFuture.allOf(closed.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            // the ones still open are dropped below
        }
        long aborted = 0;
        for (BenchSocket socket : sockets) {
            if (socket != null && socket.isOpen()) {
                socket.abort();
                aborted++;
            }
        }
        return aborted;
    }

    /** Open sockets the server closed (or that failed) while the benchmark still wanted them. */
    static long dropped(BenchSocket[] sockets) {
        long n = 0;
        for (BenchSocket socket : sockets) {
            if (socket != null && !socket.isOpen() && !socket.closedByUs()) {
                n++;
            }
        }
        return n;
    }
}
