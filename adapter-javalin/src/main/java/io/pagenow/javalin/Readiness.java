package io.pagenow.javalin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.pagenow.protocol.ThrottledLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * {@code GET /ready}: whether this node serves and each store answers its probe, each probe bounded
 * so a hung store makes the answer "down", not a hung health check.
 */
final class Readiness implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Readiness.class);
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final List<Stores.ReadinessCheck> checks;
    private final ThrottledLog throttle;
    private final BooleanSupplier serving;
    private final ExecutorService probes = Executors.newCachedThreadPool(DaemonThreads.named("ready-probe"));

    Readiness(List<Stores.ReadinessCheck> checks, ThrottledLog throttle, BooleanSupplier serving) {
        this.checks = List.copyOf(checks);
        this.throttle = throttle;
        this.serving = serving;
    }

    void answer(Context ctx) {
        ObjectNode states = MAPPER.createObjectNode();
        boolean ready = serving.getAsBoolean();
        for (Stores.ReadinessCheck check : checks) {
            boolean up = probe(check);
            states.put(check.name(), up ? "up" : "down");
            ready &= up;
        }
        ObjectNode body = MAPPER.createObjectNode();
        body.put("status", ready ? "ready" : "unavailable");
        body.set("checks", states);
        RestBridge.json(ctx, "/ready", ready ? 200 : 503, body.toString());
    }

    private boolean probe(Stores.ReadinessCheck check) {
        try {
            return CompletableFuture.supplyAsync(() -> check.probe().getAsBoolean(), probes)
                    .get(PROBE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            long count = throttle.count("not ready " + check.name());
            if (count > 0) {
                LOG.atWarn().addKeyValue("check", check.name()).addKeyValue("cause", e.getClass().getName())
                        .addKeyValue("count", count).log("store not ready");
            }
            return false;
        }
    }

    @Override
    public void close() {
        probes.shutdownNow();
    }
}
