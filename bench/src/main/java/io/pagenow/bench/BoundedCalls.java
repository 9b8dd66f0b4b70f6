package io.pagenow.bench;

import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * At most {@code limit} requests in flight, the rest waiting in order: a client with a fixed
 * number of connections, as a real one has. Without it an open-loop client facing a slow server
 * opens a connection per outstanding request until it runs out of file descriptors. A waiting
 * request keeps its intended send time, so its wait counts in its latency.
 */
final class BoundedCalls {

    private final int limit;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Queue<Supplier<CompletableFuture<?>>> waiting = new ConcurrentLinkedQueue<>();

    BoundedCalls(int limit) {
        this.limit = limit;
    }

    void submit(Supplier<CompletableFuture<?>> call) {
        waiting.add(call);
        drain();
    }

    int inFlight() {
        return inFlight.get();
    }

    private void drain() {
        while (true) {
            int n = inFlight.get();
            if (n >= limit || waiting.isEmpty()) {
                return;
            }
            if (!inFlight.compareAndSet(n, n + 1)) {
                continue;
            }
            Supplier<CompletableFuture<?>> next = waiting.poll();
            if (next == null) {
                inFlight.decrementAndGet();
                continue;
            }
            CompletableFuture<?> call;
            try {
                call = next.get();
            } catch (RuntimeException e) {
                call = CompletableFuture.failedFuture(e);
            }
            call.whenComplete((r, e) -> {
                inFlight.decrementAndGet();
                drain();
            });
        }
    }
}
