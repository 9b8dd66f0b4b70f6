package io.pagenow.javalin;

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
 * A redis-server of the test's own on a free loopback port, without persistence, that a fault test
 * may pause (SIGSTOP: no answer, time goes on, keys expire when it resumes), kill and start again
 * empty, or flush. The shared server on 6379 is never touched.
 */
final class OwnRedis implements AutoCloseable {

    private final int port;
    private final Path dir;
    private Process process;

    private OwnRedis(int port, Path dir) {
        this.port = port;
        this.dir = dir;
    }

    static OwnRedis start() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        OwnRedis redis = new OwnRedis(port, Files.createTempDirectory("pagenow-fault-redis"));
        redis.launch();
        return redis;
    }

    int port() {
        return port;
    }

    String url() {
        return "redis://127.0.0.1:" + port;
    }

    RedisClient client() {
        return RedisClient.create(URI.create(url()));
    }

    /** Stops the process where it is, like a stalled host: connections stay open, nothing answers. */
    void pause() throws Exception {
        signal("-STOP");
    }

    void resume() throws Exception {
        signal("-CONT");
    }

    /** Kills it (a crash: every socket reset) and starts a new, empty one on the same port. */
    void restartEmpty() throws Exception {
        process.destroyForcibly();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            fail("redis-server on port " + port + " did not die");
        }
        launch();
    }

    void flushAll() {
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

    private void launch() throws Exception {
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
        }, "own-redis-" + port);
        reader.setDaemon(true);
        reader.start();
        try {
            ready.get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            process.destroyForcibly();
            fail("could not start redis-server on port " + port + " (is redis-server on the PATH?): " + e);
        }
    }

    @Override
    public void close() throws Exception {
        if (process != null && process.isAlive()) {
            signal("-CONT");
            process.destroyForcibly();
            process.waitFor(20, TimeUnit.SECONDS);
        }
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}
