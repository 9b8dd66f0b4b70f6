package io.pagenow.lambda;

import io.pagenow.protocol.FloodControl;
import io.pagenow.protocol.TokenBucket;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The flood-control bucket of each connection, in this container. API Gateway spreads one
 * connection's frames over every warm container, so this bounds a flood per container; a
 * connection's bucket starts full in each.
 */
final class FloodBuckets {

    /** Buckets kept before all are dropped at once: a container sees few connections, a flood many ids. */
    private static final int MAX_BUCKETS = 10_000;

    private final FloodControl floodControl;
    private final Clock clock;
    private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();

    FloodBuckets(FloodControl floodControl, Clock clock) {
        this.floodControl = floodControl;
        this.clock = clock;
    }

    TokenBucket of(String connectionId) {
        if (buckets.size() >= MAX_BUCKETS) {
            buckets.clear();
        }
        return buckets.computeIfAbsent(connectionId, id -> floodControl.newBucket(clock));
    }

    void forget(String connectionId) {
        buckets.remove(connectionId);
    }

    /** Before a SnapStart snapshot: a restored container starts with full buckets, as a new one does. */
    void clear() {
        buckets.clear();
    }
}
