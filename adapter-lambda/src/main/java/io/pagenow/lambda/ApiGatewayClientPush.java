package io.pagenow.lambda;

import io.pagenow.core.delivery.Channel;
import io.pagenow.core.delivery.port.out.ClientPush;
import io.pagenow.core.delivery.Connection;
import io.pagenow.core.delivery.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient;
import software.amazon.awssdk.services.apigatewaymanagementapi.model.GoneException;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
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

    private final ManagementClients clients;
    private final Function<Event, String> encoder;
    private final Set<String> connecting = ConcurrentHashMap.newKeySet();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong gone = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private volatile ExecutorService fanOut;

    /** @param encoder an event's frame, encoded once per push for every target */
    ApiGatewayClientPush(ManagementClients clients, Function<Event, String> encoder) {
        this.clients = clients;
        this.encoder = encoder;
    }

    @Override
    public Set<String> push(List<Connection> targets, Event event) {
        Optional<ApiGatewayManagementApiClient> client = clients.of(event.channel());
        if (client.isEmpty()) {
            failed.addAndGet(targets.size());
            LOG.warn("No Management API endpoint for the {} API: {} pushes dropped (set {}_WS_ENDPOINT)",
                    event.channel(), targets.size(), event.channel());
            return Set.of();
        }
        List<Connection> open = targets.stream().filter(t -> !connecting.contains(t.id())).toList();
        if (open.isEmpty()) {
            return Set.of();
        }
        SdkBytes data = SdkBytes.fromUtf8String(encoder.apply(event));
        Set<String> goneIds = ConcurrentHashMap.newKeySet();
        if (open.size() == 1) {
            postTo(client.get(), open.get(0), data, goneIds);
        } else {
            List<CompletableFuture<Void>> calls = new ArrayList<>(open.size());
            for (Connection target : open) {
                calls.add(CompletableFuture.runAsync(() -> postTo(client.get(), target, data, goneIds), fanOut()));
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
        Optional<ApiGatewayManagementApiClient> client = clients.of(channel);
        if (client.isEmpty()) {
            failed.incrementAndGet();
            LOG.warn("No Management API endpoint for the {} API: reply dropped", channel);
            return;
        }
        postTo(client.get(), new Connection(connectionId, "", channel, LambdaContainer.NODE_ID), SdkBytes.fromUtf8String(frame),
                ConcurrentHashMap.newKeySet());
    }

    /** Closes a connection from the server side; API Gateway then sends its {@code $disconnect}. */
    void disconnect(Channel channel, String connectionId) {
        Optional<ApiGatewayManagementApiClient> client = clients.of(channel);
        if (client.isEmpty()) {
            LOG.warn("No Management API endpoint for the {} API: cannot close a connection", channel);
            return;
        }
        try {
            client.get().deleteConnection(request -> request.connectionId(connectionId));
        } catch (GoneException e) {
            // Closed already.
        } catch (RuntimeException e) {
            failed.incrementAndGet();
            LOG.warn("Closing connection {} failed: {}", connectionId, e.getClass().getSimpleName());
        }
    }

    /** Builds the clients of the endpoints known now, ahead of the first push ({@link ManagementClients#prepare}). */
    void prepare(Collection<URI> known) {
        clients.prepare(known);
    }

    /**
     * Builds the clients of {@code known} on this thread, or waits for the build {@link #prepare}
     * started: before a SnapStart snapshot, which should hold them.
     */
    void prepareNow(Collection<URI> known) {
        clients.prepareNow(known);
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
        clients.close();
        if (fanOut != null) {
            fanOut.shutdown();
        }
    }
}
