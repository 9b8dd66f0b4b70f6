package io.pagenow.db.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A loopback TCP relay to a test server (the database, Redis) that a test can cut ({@link #stop()}:
 * listener and every open connection closed, as when the server goes away) and bring back on the
 * same port ({@link #restart()}), or freeze ({@link #freeze()}: every connection, open or new, stays
 * open and silent, as when the server hangs) and thaw ({@link #thaw()}), without touching the
 * server other tests use.
 */
public final class TcpProxy implements AutoCloseable {

    private final InetSocketAddress target;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "tcp-proxy");
        t.setDaemon(true);
        return t;
    });
    private final int port;
    private volatile ServerSocket listener;
    /** Guards {@link #frozen}; the relaying threads wait on it while frozen. */
    private final Object relaying = new Object();
    private boolean frozen;

    private TcpProxy(InetSocketAddress target) throws IOException {
        this.target = target;
        this.listener = listen(0);
        this.port = listener.getLocalPort();
        acceptOn(listener);
    }

    public static TcpProxy start(InetSocketAddress target) throws IOException {
        return new TcpProxy(target);
    }

    public int port() {
        return port;
    }

    /** Closes the listener and every relayed connection. */
    public synchronized void stop() throws IOException {
        listener.close();
        for (Socket socket : sockets) {
            socket.close();
        }
        sockets.clear();
    }

    /** Listens again on the same port. */
    public synchronized void restart() throws IOException {
        listener = listen(port);
        acceptOn(listener);
    }

    /**
     * Stops relaying, both ways, on every connection: open ones stay open and new ones are still
     * accepted (and connected to the server), but no byte goes through until {@link #thaw()}.
     * What either side sends meanwhile is held, not lost, as a network that stalls then recovers.
     */
    public void freeze() {
        synchronized (relaying) {
            frozen = true;
        }
    }

    /** Relays again, starting with what was held while frozen. */
    public void thaw() {
        synchronized (relaying) {
            frozen = false;
            relaying.notifyAll();
        }
    }

    @Override
    public void close() throws IOException {
        stop();
        thaw();
        threads.shutdownNow();
    }

    private static ServerSocket listen(int port) throws IOException {
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        return server;
    }

    private void acceptOn(ServerSocket server) {
        threads.execute(() -> {
            while (!server.isClosed()) {
                try {
                    Socket client = server.accept();
                    Socket upstream = new Socket();
                    upstream.connect(target, 5_000);
                    // A connection accepted just as stop() ran must not outlive the stop.
                    synchronized (this) {
                        if (server.isClosed()) {
                            closeQuietly(client);
                            closeQuietly(upstream);
                            continue;
                        }
                        sockets.add(client);
                        sockets.add(upstream);
                    }
                    threads.execute(() -> pump(client, upstream));
                    threads.execute(() -> pump(upstream, client));
                } catch (IOException e) {
                    // The listener was closed by stop(), or one connection failed: nothing to relay.
                }
            }
        });
    }

    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                awaitThawed(to);
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // One side went away; closing both below ends the other pump too.
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    /** Returns once not frozen, or when {@code to} is closed (stop, or the other pump ended). */
    private void awaitThawed(Socket to) throws IOException {
        synchronized (relaying) {
            while (frozen && !to.isClosed()) {
                try {
                    // Bounded, so a socket closed meanwhile ends the pump without a thaw.
                    relaying.wait(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("proxy closed while frozen");
                }
            }
        }
    }

    private void closeQuietly(Socket socket) {
        sockets.remove(socket);
        try {
            socket.close();
        } catch (IOException e) {
            // Already closed.
        }
    }
}
