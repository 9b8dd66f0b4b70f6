package io.pagenow.protocol;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** One connection's frame allowance; see {@link FloodControl}. Thread-safe. */
public final class TokenBucket {

    private static final double NANOS_PER_SECOND = 1e9;

    private final double capacity;
    private final double refillPerNano;
    private final Clock clock;
    private double tokens;
    private Instant refilledAt;

    TokenBucket(int capacity, double refillPerSecond, Clock clock) {
        this.capacity = capacity;
        this.refillPerNano = refillPerSecond / NANOS_PER_SECOND;
        this.clock = clock;
        this.tokens = capacity;
        this.refilledAt = clock.instant();
    }

    /** Takes one frame's token; false when the connection is over its rate. */
    public synchronized boolean tryTake() {
        Instant now = clock.instant();
        if (now.isAfter(refilledAt)) {
            double elapsedNanos = Duration.between(refilledAt, now).toNanos();
            tokens = Math.min(capacity, tokens + elapsedNanos * refillPerNano);
            refilledAt = now;
        }
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}
