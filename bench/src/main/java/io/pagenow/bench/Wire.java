package io.pagenow.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The server as a client sees it: REST over HTTP/1.1 and the two WebSocket paths, nothing else.
 * Sockets are spread over several client instances (each has its own selector thread) and over
 * the destination addresses 127.0.0.1..127.0.0.N, so ten thousand sockets never run out of
 * (source port, destination) pairs.
 */
final class Wire implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** Long: a connect stuck behind the server's backlog is slow, and its latency says so; only a dead one fails. */
    private static final Duration SOCKET_OPEN_TIMEOUT = Duration.ofSeconds(120);

    private final int port;
    private final int addresses;
    private final ExecutorService executor;
    private final HttpClient[] clients;
    private final AtomicInteger next = new AtomicInteger();

    Wire(int port, int addresses, int clientCount, int threads) {
        this.port = port;
        this.addresses = addresses;
        this.executor = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "wire");
            t.setDaemon(true);
            return t;
        });
        this.clients = new HttpClient[clientCount];
        for (int i = 0; i < clientCount; i++) {
            clients[i] = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(TIMEOUT)
                    .executor(executor)
                    .build();
        }
    }

    private String host(int index) {
        return "127.0.0." + (1 + Math.floorMod(index, addresses));
    }

    private HttpClient client(int index) {
        return clients[Math.floorMod(index, clients.length)];
    }

    URI http(String pathAndQuery) {
        return URI.create("http://" + host(next.getAndIncrement()) + ":" + port + pathAndQuery);
    }

    CompletableFuture<HttpResponse<String>> get(String pathAndQuery, String token) {
        return get(pathAndQuery, token, TIMEOUT);
    }

    /** A read-back after a scenario waits longer: a server still working off a backlog answers late, not never. */
    CompletableFuture<HttpResponse<String>> getPatiently(String pathAndQuery, String token) {
        return get(pathAndQuery, token, Duration.ofMinutes(3));
    }

    private CompletableFuture<HttpResponse<String>> get(String pathAndQuery, String token, Duration timeout) {
        HttpRequest request = HttpRequest.newBuilder(http(pathAndQuery))
                .timeout(timeout)
                .header("Authorization", token)
                .GET()
                .build();
        return client(next.get()).sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }

    CompletableFuture<HttpResponse<String>> post(String path, String token, String json) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(http(path))
                .timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (token != null) {
            builder.header("Authorization", token);
        }
        return client(next.get()).sendAsync(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Development-mode tokens for every user, {@code concurrency} requests at a time. */
    Map<String, String> tokens(Collection<String> userIds, int concurrency) {
        Map<String, String> tokens = new ConcurrentHashMap<>();
        forEachBounded(new ArrayList<>(userIds), concurrency, userId ->
                post("/dev/token", null, "{\"userId\":\"" + userId + "\"}").thenAccept(response -> {
                    JsonNode body = parse(expect(response, 200, "POST /dev/token"));
                    tokens.put(userId, body.get("token").asText());
                }));
        return tokens;
    }

    /** Opens a socket on {@code path} ("chat" or "presence"); {@code index} picks its address and client. */
    CompletableFuture<BenchSocket> open(String path, String userId, String token, int index,
                                        BenchSocket.Handler handler, Errors errors) {
        BenchSocket socket = new BenchSocket(userId, handler, errors);
        URI uri = URI.create("ws://" + host(index) + ":" + port + "/" + path + "?Authorization="
                + URLEncoder.encode(token, StandardCharsets.UTF_8));
        return client(index).newWebSocketBuilder()
                .connectTimeout(SOCKET_OPEN_TIMEOUT)
                .buildAsync(uri, socket)
                .thenApply(ws -> {
                    socket.attach(ws);
                    return socket;
                });
    }

    /** Runs {@code work} for each item with at most {@code concurrency} in flight; fails on the first failure. */
    static <T> void forEachBounded(List<T> items, int concurrency, Function<T, CompletableFuture<?>> work) {
        Semaphore permits = new Semaphore(concurrency);
        List<CompletableFuture<?>> all = new ArrayList<>(items.size());
        try {
            for (T item : items) {
                permits.acquire();
                CompletableFuture<?> f = work.apply(item);
                f.whenComplete((r, e) -> permits.release());
                all.add(f);
            }
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("requests did not finish within 10 minutes", e);
        }
    }

    static String expect(HttpResponse<String> response, int status, String what) {
        if (response.statusCode() != status) {
            String body = response.body();
            throw new IllegalStateException(what + " answered " + response.statusCode() + ": "
                    + (body.length() > 200 ? body.substring(0, 200) : body));
        }
        return response.body();
    }

    static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("not JSON: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
