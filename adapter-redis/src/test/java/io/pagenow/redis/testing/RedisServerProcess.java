package io.pagenow.redis.testing;

import redis.clients.jedis.RedisClient;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A redis-server of the test's own on a free loopback port, without persistence, that a test may
 * kill and start again, start again empty, pause (SIGSTOP: no answer, time goes on, keys expire
 * when it resumes) or flush. The shared server on 6379 is never touched. In this module's test jar,
 * so the adapter's outage tests and the server's fault suite use the same one.
 */
public final class RedisServerProcess implements AutoCloseable {

    private final int port;
    private final Path dir;
    private Process process;

    private RedisServerProcess(int port, Path dir) {
        this.port = port;
        this.dir = dir;
    }

    public static RedisServerProcess start() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        RedisServerProcess server = new RedisServerProcess(port, Files.createTempDirectory("pagenow-redis-test"));
        server.startAgain();
        return server;
    }

    public int port() {
        return port;
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    public RedisClient client() {
        return RedisClient.create(URI.create(url()));
    }

    /** Starts the server (again, on the same port) and returns once it accepts connections. */
    public void startAgain() throws Exception {
        process = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--logfile", "")
                .redirectErrorStream(true).start();
        CompletableFuture<Void> ready = new CompletableFuture<>();
        Process started = process;
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(started.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                // Reads to the end, so the server never blocks on a full pipe.
                while ((line = lines.readLine()) != null) {
                    if (line.contains("Ready to accept connections")) {
                        ready.complete(null);
                    }
                }
                ready.completeExceptionally(new IllegalStateException("redis-server exited before it was ready"));
            } catch (IOException e) {
                ready.completeExceptionally(new UncheckedIOException(e));
            }
        }, "redis-server-" + port + "-log");
        reader.setDaemon(true);
        reader.start();
        try {
            ready.get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            process.destroyForcibly();
            fail("could not start redis-server on port " + port + " (is redis-server on the PATH?): " + e);
        }
    }

    /** Kills the server at once, as a crash would: no clean shutdown, every socket reset. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            fail("redis-server on port " + port + " did not die");
        }
    }

    /** Kills it and starts a new, empty one on the same port. */
    public void restartEmpty() throws Exception {
        kill();
        startAgain();
    }

    /** Stops the process where it is, like a stalled host: connections stay open, nothing answers. */
    public void pause() throws Exception {
        signal("-STOP");
    }

    public void resume() throws Exception {
        signal("-CONT");
    }

    public void flushAll() {
        try (RedisClient redis = client()) {
            assertEquals("OK", redis.flushAll());
        }
    }

    private void signal(String signal) throws Exception {
        Process kill = new ProcessBuilder("kill", signal, Long.toString(process.pid())).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            fail("kill " + signal + " of redis-server failed");
        }
    }

    /** Kills the server (a paused one too) and deletes its directory. */
    @Override
    public void close() throws Exception {
        if (process != null && process.isAlive()) {
            signal("-CONT");
            kill();
        }
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}
