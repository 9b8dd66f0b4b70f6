package io.pagenow.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The server under test, as its own JVM started from its runnable jar on a free port. */
final class ServerProcess implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Path pidFile;

    private ServerProcess(Process process, int port, Path pidFile) {
        this.process = process;
        this.port = port;
        this.pidFile = pidFile;
    }

    /**
     * Starts the server's JVM under {@code launcher} (empty, or e.g. {@code taskset -c 0} to give
     * it the same cores as a peer server).
     */
    static ServerProcess start(List<String> launcher, Path jar, Map<String, String> env, List<String> jvmOptions,
                               Path log, Path pidFile) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no server jar at " + jar + " (bench/run builds it)");
        }
        return start(launcher, List.of("-jar", jar.toAbsolutePath().toString()), env, jvmOptions, log, pidFile);
    }

    /** The bare Jetty echo server from this very jar: the connect storm's reference. */
    static ServerProcess startJettyEcho(Map<String, String> env, Path log, Path pidFile) {
        String jar = System.getProperty("java.class.path");
        return start(List.of(), List.of("-cp", jar, "io.pagenow.bench.jetty.EchoServer"), env,
                List.of("-Xms1g", "-Xmx3g", "-XX:+UseG1GC"), log, pidFile);
    }

    private static ServerProcess start(List<String> launcher, List<String> program, Map<String, String> env,
                                       List<String> jvmOptions, Path log, Path pidFile) {
        int port = freePort();
        List<String> command = new ArrayList<>(launcher);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(program);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().putAll(env);
        builder.environment().put("PORT", String.valueOf(port));
        try {
            Process process = builder.start();
            ServerProcess server = new ServerProcess(process, port, pidFile);
            server.remember(true);
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the server", e);
        }
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    /**
     * Waits until {@code /ready} answers 200, as a load balancer would before sending traffic
     * ({@code /health} answers as soon as the port is open, before the development issuer is
     * set); fails if the process dies first.
     */
    void awaitReady(Duration timeout) {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the server exited with " + process.exitValue() + " while starting");
            }
            try {
                HttpResponse<Void> response = client.send(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + port + "/ready")).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            try {
                // Polling a process we started for its port: there is no event to wait on.
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        throw new IllegalStateException("the server was not ready (/ready) within " + timeout);
    }

    /** GET on the server with no token, e.g. {@code /metrics} or {@code /ready}. */
    HttpResponse<String> get(String path) {
        try {
            return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                            .timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Asks the server to stop (SIGTERM: its graceful shutdown), and kills it if it lingers. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        remember(false);
    }

    /** Keeps the pid file listing exactly the servers alive, for bench/run's trap. */
    private void remember(boolean add) {
        remember(pidFile, process.pid(), add);
    }

    /**
     * Adds or removes one process in bench/run's pid file (none: nothing to do). Every server the
     * bench starts, ours or a peer, goes through here, so concurrent rewrites never lose a line.
     */
    static void remember(Path pidFile, long pid, boolean add) {
        if (pidFile == null) {
            return;
        }
        synchronized (ServerProcess.class) {
            try {
                List<String> pids = Files.exists(pidFile) ? new ArrayList<>(Files.readAllLines(pidFile)) : new ArrayList<>();
                pids.remove(String.valueOf(pid));
                if (add) {
                    pids.add(String.valueOf(pid));
                }
                Files.write(pidFile, pids, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.TRUNCATE_EXISTING);
            } catch (IOException e) {
                System.err.println("could not update " + pidFile + ": " + e.getMessage());
            }
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }
}
