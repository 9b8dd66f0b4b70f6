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

    /** Why a socket did not open, short enough to count by kind. */
    static String whyNotOpened(Throwable e) {
        Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
        if (cause instanceof java.net.http.WebSocketHandshakeException handshake) {
            return "connect refused " + handshake.getResponse().statusCode();
        }
        return "connect failed " + cause.getClass().getSimpleName();
    }

    static void closeAll(BenchSocket[] sockets) {
        List<CompletableFuture<?>> closing = new ArrayList<>();
        for (BenchSocket socket : sockets) {
            if (socket != null) {
                closing.add(socket.close());
            }
        }
        try {
            CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            // the server side may already be gone; nothing left to measure
        }
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
