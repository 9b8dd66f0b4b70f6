package io.pagenow.lambda;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A loopback stand-in for the API Gateway Management API: records every
 * {@code POST /{stage}/@connections/{id}} (a push) and {@code DELETE} (a close) and answers 200 / 204,
 * or what a test told it to answer for a connection (410 with or without the {@code GoneException}
 * type header, or 500). Like API Gateway, it checks each request's SigV4 signature from what came
 * over the wire ({@link SigV4Check}) and answers 403 to one that does not hold.
 */
final class ManagementApiStub implements AutoCloseable {

    /** The role credentials of the containers the tests build in their own JVM. */
    static final RoleCredentials CREDENTIALS = () -> AwsCredentialsIdentity.create("AKIDLAMBDATEST", "test-secret");
    /**
     * The secret of each access key whose signatures hold: the tests' own, the one the runtime
     * client's functions get in their environment ({@link RuntimeClientFunction}), and the one
     * {@code ShippedJarIT}'s container credentials endpoint serves.
     */
    private static final Map<String, String> SECRETS = Map.of("AKIDLAMBDATEST", "test-secret",
            "AKIDRUNTIMECLIENT", "runtime-client-secret", "AKIDCONTAINER", "container-secret");

    /**
     * One request as the stub received it.
     *
     * @param refusal why its signature did not hold (it was answered 403), or empty
     */
    record Post(String method, String stage, String connectionId, String body, String authorization,
                String amzDate, Optional<String> refusal) {
    }

    enum Answer {
        OK, GONE_TYPED, GONE_UNTYPED, SERVER_ERROR
    }

    private final HttpServer server;
    private final BlockingQueue<Post> posts = new LinkedBlockingQueue<>();
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();

    ManagementApiStub() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    /** A Management API caller signing with {@link #CREDENTIALS} in eu-west-1, as a container builds one. */
    static ManagementApi api() {
        return new ManagementApi(CREDENTIALS, new SigV4(SigV4.SERVICE, "eu-west-1", Clock.systemUTC()),
                LambdaContainer.PUSH_TIMEOUT);
    }

    /** The endpoint to configure, as {@code https://{domainName}/{stage}} would be in AWS. */
    URI endpoint(String stage) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/" + stage);
    }

    void answer(String connectionId, Answer answer) {
        answers.put(connectionId, answer);
    }

    /** The next request received, waiting at most {@code timeout}; null when none came. */
    Post next(Duration timeout) throws InterruptedException {
        return posts.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Every request received and not yet taken. */
    List<Post> drain() {
        List<Post> all = new ArrayList<>();
        posts.drainTo(all);
        return all;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            byte[] bytes = in.readAllBytes();
            String body = new String(bytes, StandardCharsets.UTF_8);
            // getPath() is decoded: connection ids end in '=', which is sent as %3D.
            String[] parts = exchange.getRequestURI().getPath().split("/", 4);
            if (parts.length != 4 || !parts[2].equals("@connections")) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            String connectionId = parts[3];
            Optional<String> refusal = SigV4Check.refusal(new SigV4Check.Request(exchange.getRequestMethod(),
                    exchange.getRequestURI().getRawPath(), Optional.ofNullable(exchange.getRequestURI().getRawQuery())
                    .orElse(""), exchange.getRequestHeaders(), bytes), SECRETS);
            posts.add(new Post(exchange.getRequestMethod(), parts[1], connectionId, body,
                    exchange.getRequestHeaders().getFirst("Authorization"),
                    exchange.getRequestHeaders().getFirst("X-Amz-Date"), refusal));
            if (refusal.isPresent()) {
                exchange.getResponseHeaders().add("x-amzn-ErrorType", "InvalidSignatureException");
                respond(exchange, 403, "{\"message\":\"The request signature we calculated does not match\"}");
                return;
            }
            Answer answer = answers.getOrDefault(connectionId, Answer.OK);
            if (exchange.getRequestMethod().equals("DELETE") && answer == Answer.OK) {
                exchange.sendResponseHeaders(204, -1);
                return;
            }
            switch (answer) {
                case OK -> exchange.sendResponseHeaders(200, -1);
                case GONE_TYPED -> {
                    exchange.getResponseHeaders().add("x-amzn-ErrorType", "GoneException");
                    respond(exchange, 410, "{\"message\":null}");
                }
                case GONE_UNTYPED -> exchange.sendResponseHeaders(410, -1);
                case SERVER_ERROR -> respond(exchange, 500, "{\"message\":\"Internal server error\"}");
            }
        }
    }

    private static void respond(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /** Waits for requests until {@code count} arrived or {@code timeout} passed. */
    List<Post> take(int count, Duration timeout) throws InterruptedException {
        List<Post> taken = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (taken.size() < count) {
            Post post = posts.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (post == null) {
                break;
            }
            taken.add(post);
        }
        return taken;
    }
}
