package io.pagenow.javalin;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.pagenow.core.delivery.Channel;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToIntFunction;

/**
 * The server's Prometheus metrics. Labels hold only bounded values (route templates, known
 * actions, status codes), never ids, so the series count stays small whatever clients send.
 * The meters of the per-frame and per-push paths are kept by their labels: building and
 * registering one per frame cost 2% of the server's CPU under load.
 */
final class ServerMetrics implements AutoCloseable {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Counter messagesSent;
    private final JvmGcMetrics gcMetrics = new JvmGcMetrics();
    private final Map<FrameLabels, Timer> frames = new ConcurrentHashMap<>();
    private final Map<String, Counter> pushes = new ConcurrentHashMap<>();

    private record FrameLabels(Channel channel, String action, int code) {
    }

    ServerMetrics() {
        messagesSent = Counter.builder("pagenow.messages.sent")
                .description("Messages stored from send-message frames (retries not counted twice)")
                .register(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        gcMetrics.bindTo(registry);
    }

    /** Open sockets per channel, read from the sockets themselves at each scrape. */
    <T> void connectionsOpen(T sockets, ToIntFunction<T> chat, ToIntFunction<T> presence) {
        Gauge.builder("pagenow.connections.open", sockets, s -> chat.applyAsInt(s))
                .description("Open WebSocket connections on this node").tag("channel", "chat").register(registry);
        Gauge.builder("pagenow.connections.open", sockets, s -> presence.applyAsInt(s))
                .description("Open WebSocket connections on this node").tag("channel", "presence").register(registry);
    }

    void messageSent() {
        messagesSent.increment();
    }

    void pushed(String eventType, int connections) {
        pushes.computeIfAbsent(eventType, type -> Counter.builder("pagenow.pushes")
                        .description("Events pushed to sockets held by this node").tag("type", type).register(registry))
                .increment(connections);
    }

    void pushFailed() {
        Counter.builder("pagenow.push.failures").description("Pushes a socket could not take")
                .register(registry).increment();
    }

    /** An error answered to a client, REST status or error event code. */
    void error(String transport, int code) {
        Counter.builder("pagenow.errors").description("Errors answered to clients by code")
                .tag("transport", transport).tag("code", Integer.toString(code)).register(registry).increment();
    }

    void request(String method, String route, int status, Duration latency) {
        Timer.builder("pagenow.http.requests").description("HTTP request latency")
                .tag("method", method).tag("route", route).tag("status", Integer.toString(status))
                .register(registry).record(latency);
    }

    void frame(Channel channel, String action, int code, Duration latency) {
        frames.computeIfAbsent(new FrameLabels(channel, action, code), key -> Timer.builder("pagenow.ws.frames")
                        .description("WebSocket frame handling latency")
                        .tag("channel", key.channel().name().toLowerCase(Locale.ROOT)).tag("action", key.action())
                        .tag("code", Integer.toString(key.code())).register(registry))
                .record(latency);
    }

    /** The node registered its sockets again after its live state was lost ({@link SocketRepair}). */
    void liveStateRepaired(String reason, int socketsRegistered) {
        Counter.builder("pagenow.live.state.repairs").description("Times this node registered its sockets again")
                .tag("reason", reason).register(registry).increment();
        Counter.builder("pagenow.sockets.reregistered").description("Sockets registered again by repairs")
                .register(registry).increment(socketsRegistered);
    }

    void swept(int usersTakenOffline) {
        Counter.builder("pagenow.presence.timeouts").description("Users taken offline by the presence sweep")
                .register(registry).increment(usersTakenOffline);
    }

    String scrape() {
        return registry.scrape();
    }

    @Override
    public void close() {
        gcMetrics.close();
        registry.close();
    }
}
