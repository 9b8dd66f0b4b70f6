package io.pagenow.lambda;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The Lambda Runtime API (2018-06-01) on loopback, as the Lambda service serves it to one execution
 * environment: the runtime interface client long-polls {@code GET /runtime/invocation/next}, which
 * hands out the next queued event with its request id, deadline and function ARN, and answers
 * through {@code POST /runtime/invocation/{id}/response} or {@code .../error}; a failed init
 * reports through {@code POST /runtime/init/error}. {@code AWS_LAMBDA_RUNTIME_API} is
 * {@link #address()}.
 */
final class RuntimeApiEmulator implements AutoCloseable {

    private static final String PREFIX = "/2018-06-01/runtime/";

    /** What the function answered to one event: its response, or the error it reported. */
    record Outcome(boolean error, String body, String errorType, long answeredNanos) {
    }

    private record Invocation(String requestId, String event, CompletableFuture<Outcome> outcome) {
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "runtime-api");
        thread.setDaemon(true);
        return thread;
    });
    private final String functionArn;
    private final BlockingQueue<Invocation> queued = new LinkedBlockingQueue<>();
    private final Map<String, Invocation> inFlight = new ConcurrentHashMap<>();
    /** The body of {@code /runtime/init/error}, once the runtime reported one. */
    final CompletableFuture<String> initError = new CompletableFuture<>();
    /** Completes with {@link System#nanoTime()} when the runtime first asks for an event: init is over. */
    final CompletableFuture<Long> firstNext = new CompletableFuture<>();
    private volatile boolean closed;

    RuntimeApiEmulator(String functionName) throws IOException {
        this.functionArn = "arn:aws:lambda:us-west-2:123456789012:function:" + functionName;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(threads);
        server.createContext(PREFIX, this::handle);
        server.start();
    }

    /** {@code host:port}, the form {@code AWS_LAMBDA_RUNTIME_API} takes. */
    String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** Queues the event for the next {@code /next} and returns what the function made of it. */
    CompletableFuture<Outcome> submit(String event) {
        Invocation invocation = new Invocation(UUID.randomUUID().toString(), event, new CompletableFuture<>());
        inFlight.put(invocation.requestId(), invocation);
        queued.add(invocation);
        return invocation.outcome();
    }

    /** Fails every event not answered yet, e.g. when the function's process exits. */
    void abandon(Throwable cause) {
        inFlight.values().forEach(i -> i.outcome().completeExceptionally(cause));
        firstNext.completeExceptionally(cause);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            String path = exchange.getRequestURI().getPath().substring(PREFIX.length());
            String method = exchange.getRequestMethod();
            if (method.equals("GET") && path.equals("invocation/next")) {
                next(exchange);
            } else if (method.equals("POST") && path.equals("init/error")) {
                initError.complete(body);
                accepted(exchange);
            } else if (method.equals("POST") && path.startsWith("invocation/")
                    && (path.endsWith("/response") || path.endsWith("/error"))) {
                String[] parts = path.split("/");
                Invocation invocation = inFlight.remove(parts[1]);
                if (invocation == null) {
                    exchange.sendResponseHeaders(400, -1);
                    return;
                }
                invocation.outcome().complete(new Outcome(parts[2].equals("error"), body,
                        exchange.getRequestHeaders().getFirst("Lambda-Runtime-Function-Error-Type"), System.nanoTime()));
                accepted(exchange);
            } else {
                exchange.sendResponseHeaders(404, -1);
            }
        }
    }

    private void next(HttpExchange exchange) throws IOException {
        firstNext.complete(System.nanoTime());
        Invocation invocation = null;
        try {
            while (invocation == null && !closed) {
                invocation = queued.poll(200, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (invocation == null) {
            exchange.sendResponseHeaders(503, -1);
            return;
        }
        byte[] event = invocation.event().getBytes(StandardCharsets.UTF_8);
        var headers = exchange.getResponseHeaders();
        headers.add("Content-Type", "application/json");
        headers.add("Lambda-Runtime-Aws-Request-Id", invocation.requestId());
        headers.add("Lambda-Runtime-Deadline-Ms",
                Long.toString(System.currentTimeMillis() + Duration.ofSeconds(30).toMillis()));
        headers.add("Lambda-Runtime-Invoked-Function-Arn", functionArn);
        headers.add("Lambda-Runtime-Trace-Id", "Root=1-6741b1e2-3b5c1a0d4e2f1a9b8c7d6e5f;Sampled=0");
        exchange.sendResponseHeaders(200, event.length);
        exchange.getResponseBody().write(event);
    }

    private static void accepted(HttpExchange exchange) throws IOException {
        byte[] ok = "{\"status\":\"OK\"}".getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(202, ok.length);
        exchange.getResponseBody().write(ok);
    }

    @Override
    public void close() {
        closed = true;
        server.stop(0);
        threads.shutdownNow();
    }
}
