package io.pagenow.protocol;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * One connection's (or one user's) allowance; see {@link FloodControl}. Thread-safe.
 *
 * <p>Hand-written rather than Bucket4j: the arithmetic is these few lines on a {@link Clock}
 * (which tests move by hand), each bucket is one socket's or one user's and so barely contended,
 * and the limits are per node, so Bucket4j's distributed back ends would go unused while the
 * protocol jar, which the Lambda functions load on every cold start, would grow by a dependency.
 */
public final class TokenBucket {

    private static final double NANOS_PER_SECOND = 1e9;

    private final double capacity;
    private final double refillPerNano;
    private final Clock clock;
    private final Supplier<TokenBucket> shared;
    private double tokens;
    private Instant refilledAt;

    TokenBucket(int capacity, double refillPerSecond, Clock clock) {
        this(capacity, refillPerSecond / NANOS_PER_SECOND, clock, null);
    }

    private TokenBucket(double capacity, double refillPerNano, Clock clock, Supplier<TokenBucket> shared) {
        this.capacity = capacity;
        this.refillPerNano = refillPerNano;
        this.clock = clock;
        this.shared = shared;
        this.tokens = capacity;
        this.refilledAt = clock.instant();
    }

    /**
     * A full bucket like this one whose every token also needs one of the bucket {@code shared}
     * supplies (the user's, which all of the user's sockets share; looked up on each take, so it
     * is the one {@link UserBuckets} holds now); a frame it refuses costs this bucket nothing.
     */
    public TokenBucket sharing(Supplier<TokenBucket> shared) {
        return new TokenBucket(capacity, refillPerNano, clock, shared);
    }

    /** Takes one frame's token; false when the connection (or the bucket it shares) is over its rate. */
    public synchronized boolean tryTake() {
        Instant now = clock.instant();
        if (now.isAfter(refilledAt)) {
            double elapsedNanos = Duration.between(refilledAt, now).toNanos();
            tokens = Math.min(capacity, tokens + elapsedNanos * refillPerNano);
            refilledAt = now;
        }
        // Always this bucket's lock, then the shared one's: one order, no deadlock.
        if (tokens >= 1 && (shared == null || shared.get().tryTake())) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}
