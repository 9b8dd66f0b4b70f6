package io.pagenow.lambda;

import io.pagenow.core.delivery.Channel;
import io.pagenow.core.delivery.port.out.ClientPush;
import io.pagenow.core.delivery.Connection;
import io.pagenow.core.delivery.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient;
import software.amazon.awssdk.services.apigatewaymanagementapi.model.GoneException;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Pushes events to WebSocket clients through the API Gateway Management API
 * ({@code POST /{stage}/@connections/{connectionId}}, SigV4-signed). A 410 Gone reports the
 * connection gone so the registry forgets it; any other failure is logged (status only, never the
 * event) and counted. The core stores a message before it pushes, so a failed push loses nothing.
 */
final class ApiGatewayClientPush implements ClientPush, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ApiGatewayClientPush.class);
    /** Fan-out in parallel: each call is a round trip of its own, and a group or a friend list has many. */
    private static final int PARALLELISM = 8;

    private final ManagementEndpoints endpoints;
    private final Function<Event, String> encoder;
    private final AwsCredentialsProvider credentials;
    private final Region region;
    private final Duration callTimeout;
    private final Map<URI, ApiGatewayManagementApiClient> clients = new ConcurrentHashMap<>();
    private final Set<String> connecting = ConcurrentHashMap.newKeySet();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong gone = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private volatile SdkHttpClient httpClient;
    private volatile ExecutorService fanOut;

    ApiGatewayClientPush(ManagementEndpoints endpoints, Function<Event, String> encoder,
                         AwsCredentialsProvider credentials, Region region, Duration callTimeout) {
        this.endpoints = endpoints;
        this.encoder = encoder;
        this.credentials = credentials;
        this.region = region;
        this.callTimeout = callTimeout;
    }

    @Override
    public Set<String> push(List<Connection> targets, Event event) {
        Optional<URI> endpoint = endpoints.of(event.channel());
        if (endpoint.isEmpty()) {
            failed.addAndGet(targets.size());
            LOG.warn("No Management API endpoint for the {} API: {} pushes dropped (set {}_WS_ENDPOINT)",
                    event.channel(), targets.size(), event.channel());
            return Set.of();
        }
        List<Connection> open = targets.stream().filter(t -> !connecting.contains(t.id())).toList();
        if (open.isEmpty()) {
            return Set.of();
        }
        ApiGatewayManagementApiClient client = clients.computeIfAbsent(endpoint.get(), this::newClient);
        SdkBytes data = SdkBytes.fromUtf8String(encoder.apply(event));
        Set<String> goneIds = ConcurrentHashMap.newKeySet();
        if (open.size() == 1) {
            postTo(client, open.get(0), data, goneIds);
        } else {
            List<CompletableFuture<Void>> calls = new ArrayList<>(open.size());
            for (Connection target : open) {
                calls.add(CompletableFuture.runAsync(() -> postTo(client, target, data, goneIds), fanOut()));
            }
            CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).join();
        }
        return Set.copyOf(goneIds);
    }

    /**
     * Runs {@code connect} while pushes to {@code connectionId} are held back: API Gateway answers
     * 410 for a connection whose {@code $connect} has not returned yet, which would read as gone.
     */
    void whileConnecting(String connectionId, Runnable connect) {
        connecting.add(connectionId);
        try {
            connect.run();
        } finally {
            connecting.remove(connectionId);
        }
    }

    /**
     * Sends one frame to one connection (an {@code error} answer to the frame it sent). A gone or
     * failing connection is only logged: the answer is for that connection alone.
     */
    void reply(Channel channel, String connectionId, String frame) {
        Optional<URI> endpoint = endpoints.of(channel);
        if (endpoint.isEmpty()) {
            failed.incrementAndGet();
            LOG.warn("No Management API endpoint for the {} API: reply dropped", channel);
            return;
        }
        postTo(clients.computeIfAbsent(endpoint.get(), this::newClient),
                new Connection(connectionId, "", channel, LambdaContainer.NODE_ID), SdkBytes.fromUtf8String(frame),
                ConcurrentHashMap.newKeySet());
    }

    /** Closes a connection from the server side; API Gateway then sends its {@code $disconnect}. */
    void disconnect(Channel channel, String connectionId) {
        Optional<URI> endpoint = endpoints.of(channel);
        if (endpoint.isEmpty()) {
            LOG.warn("No Management API endpoint for the {} API: cannot close a connection", channel);
            return;
        }
        try {
            clients.computeIfAbsent(endpoint.get(), this::newClient)
                    .deleteConnection(request -> request.connectionId(connectionId));
        } catch (GoneException e) {
            // Closed already.
        } catch (RuntimeException e) {
            failed.incrementAndGet();
            LOG.warn("Closing connection {} failed: {}", connectionId, e.getClass().getSimpleName());
        }
    }

    /**
     * Builds the Management API client of each endpoint known now, on a background thread: a
     * function that pushes would otherwise load the SDK's classes while its first push waits.
     * Only functions that push call it; the REST function's first answer would only share its
     * core with the work.
     */
    void prepare(java.util.Collection<URI> known) {
        if (known.isEmpty()) {
            return;
        }
        Thread thread = new Thread(() -> {
            try {
                prepareNow(known);
            } catch (RuntimeException e) {
                LOG.warn("Preparing the Management API client failed: {}", e.toString());
            }
        }, "management-api-prepare");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Builds the clients of {@code known} on this thread, or waits for the build {@link #prepare}
     * started: before a SnapStart snapshot, which should hold them.
     */
    void prepareNow(java.util.Collection<URI> known) {
        known.forEach(endpoint -> clients.computeIfAbsent(endpoint, this::newClient));
    }

    long delivered() {
        return delivered.get();
    }

    long gone() {
        return gone.get();
    }

    long failed() {
        return failed.get();
    }

    private void postTo(ApiGatewayManagementApiClient client, Connection target, SdkBytes data, Set<String> goneIds) {
        try {
            client.postToConnection(request -> request.connectionId(target.id()).data(data));
            delivered.incrementAndGet();
        } catch (GoneException e) {
            markGone(target, goneIds);
        } catch (SdkServiceException e) {
            // Without the x-amzn-ErrorType header the SDK cannot name the error; the status still says gone.
            if (e.statusCode() == 410) {
                markGone(target, goneIds);
            } else {
                LOG.warn("Push to connection {} failed: HTTP {} ({} failed in this container)", target.id(),
                        e.statusCode(), failed.incrementAndGet());
            }
        } catch (RuntimeException e) {
            LOG.warn("Push to connection {} failed: {} ({} failed in this container)", target.id(),
                    e.getClass().getSimpleName(), failed.incrementAndGet());
        }
    }

    private void markGone(Connection target, Set<String> goneIds) {
        gone.incrementAndGet();
        goneIds.add(target.id());
    }

    private ApiGatewayManagementApiClient newClient(URI endpoint) {
        return ApiGatewayManagementApiClient.builder()
                .endpointOverride(endpoint)
                .region(region)
                .credentialsProvider(credentials)
                .httpClient(httpClient())
                .overrideConfiguration(o -> o
                        .apiCallTimeout(callTimeout)
                        // One retry for a throttle or a 5xx; more would hold the whole fan-out back.
                        .retryStrategy(b -> b.maxAttempts(2)))
                .build();
    }

    private SdkHttpClient httpClient() {
        SdkHttpClient client = httpClient;
        if (client == null) {
            synchronized (this) {
                client = httpClient;
                if (client == null) {
                    client = UrlConnectionHttpClient.builder()
                            .connectionTimeout(Duration.ofSeconds(2))
                            .socketTimeout(callTimeout)
                            .build();
                    httpClient = client;
                }
            }
        }
        return client;
    }

    private ExecutorService fanOut() {
        ExecutorService executor = fanOut;
        if (executor == null) {
            synchronized (this) {
                executor = fanOut;
                if (executor == null) {
                    executor = Executors.newFixedThreadPool(PARALLELISM, runnable -> {
                        Thread thread = new Thread(runnable, "management-api-push");
                        thread.setDaemon(true);
                        return thread;
                    });
                    fanOut = executor;
                }
            }
        }
        return executor;
    }

    @Override
    public void close() {
        clients.values().forEach(ApiGatewayManagementApiClient::close);
        if (httpClient != null) {
            httpClient.close();
        }
        if (fanOut != null) {
            fanOut.shutdown();
        }
    }
}
