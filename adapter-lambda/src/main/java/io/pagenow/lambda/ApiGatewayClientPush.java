package io.pagenow.lambda;

import io.pagenow.core.delivery.Channel;
import io.pagenow.core.delivery.port.out.ClientPush;
import io.pagenow.core.delivery.Connection;
import io.pagenow.core.delivery.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
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
    private final ManagementApi api;
    private final Function<Event, String> encoder;
    private final Set<String> connecting = ConcurrentHashMap.newKeySet();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong gone = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private volatile ExecutorService fanOut;

    /** @param encoder an event's frame, encoded once per push for every target */
    ApiGatewayClientPush(ManagementEndpoints endpoints, ManagementApi api, Function<Event, String> encoder) {
        this.endpoints = endpoints;
        this.api = api;
        this.encoder = encoder;
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
        byte[] data = encoder.apply(event).getBytes(StandardCharsets.UTF_8);
        Set<String> goneIds = ConcurrentHashMap.newKeySet();
        if (open.size() == 1) {
            postTo(endpoint.get(), open.get(0).id(), data, goneIds);
        } else {
            List<CompletableFuture<Void>> calls = new ArrayList<>(open.size());
            for (Connection target : open) {
                calls.add(CompletableFuture.runAsync(() -> postTo(endpoint.get(), target.id(), data, goneIds), fanOut()));
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
        postTo(endpoint.get(), connectionId, frame.getBytes(StandardCharsets.UTF_8), ConcurrentHashMap.newKeySet());
    }

    /** Closes a connection from the server side; API Gateway then sends its {@code $disconnect}. */
    void disconnect(Channel channel, String connectionId) {
        Optional<URI> endpoint = endpoints.of(channel);
        if (endpoint.isEmpty()) {
            LOG.warn("No Management API endpoint for the {} API: cannot close a connection", channel);
            return;
        }
        try {
            int status = api.delete(endpoint.get(), connectionId);
            // 410: closed already.
            if (status / 100 != 2 && status != 410) {
                failed.incrementAndGet();
                LOG.warn("Closing connection {} failed: HTTP {}", connectionId, status);
            }
        } catch (IOException | RuntimeException e) {
            failed.incrementAndGet();
            LOG.warn("Closing connection {} failed: {}", connectionId, e.getClass().getSimpleName());
        }
    }

    /** Loads the signer's classes in the background, ahead of the first push ({@link ManagementApi#prepare}). */
    void prepare() {
        api.prepare();
    }

    /** The same on this thread: before a SnapStart snapshot. */
    void prepareNow() {
        api.prepareNow();
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

    private void postTo(URI endpoint, String connectionId, byte[] data, Set<String> goneIds) {
        try {
            int status = api.post(endpoint, connectionId, data);
            if (status / 100 == 2) {
                delivered.incrementAndGet();
            } else if (status == 410) {
                // Gone, whether or not the x-amzn-ErrorType header names a GoneException.
                gone.incrementAndGet();
                goneIds.add(connectionId);
            } else {
                LOG.warn("Push to connection {} failed: HTTP {} ({} failed in this container)", connectionId, status,
                        failed.incrementAndGet());
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("Push to connection {} failed: {} ({} failed in this container)", connectionId,
                    e.getClass().getSimpleName(), failed.incrementAndGet());
        }
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
        if (fanOut != null) {
            fanOut.shutdown();
        }
    }
}
