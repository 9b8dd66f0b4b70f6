package io.pagenow.protocol;

import io.pagenow.config.Environment;

import java.time.Clock;

/**
 * Per-connection flood control settings: a token bucket of {@code burst} frames, refilled at
 * {@code refillPerSecond}. The default never bothers a person: a client sending a heartbeat a
 * minute and a message now and then stays far below it.
 */
public record FloodControl(int burst, double refillPerSecond) {

    public static final FloodControl DEFAULT = new FloodControl(100, 20);

    public FloodControl {
        if (burst < 1) {
            throw new IllegalArgumentException("flood control burst must be at least 1, was " + burst);
        }
        if (!(refillPerSecond > 0) || Double.isInfinite(refillPerSecond)) {
            throw new IllegalArgumentException("flood control refill must be a positive rate, was " + refillPerSecond);
        }
    }

    /**
     * One socket's budget, {@code FLOOD_BURST} and {@code FLOOD_REFILL_PER_SECOND}: read here once for
     * both composition roots, which hand it on to {@link Limits#from} as the per-user default.
     */
    public static FloodControl from(Environment env) {
        return new FloodControl(env.floodBurst(DEFAULT.burst()), env.floodRefillPerSecond(DEFAULT.refillPerSecond()));
    }

    /** A full bucket for a new connection. */
    public TokenBucket newBucket(Clock clock) {
        return new TokenBucket(burst, refillPerSecond, clock);
    }
}
