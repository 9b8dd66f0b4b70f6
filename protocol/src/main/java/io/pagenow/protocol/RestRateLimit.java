package io.pagenow.protocol;

import io.pagenow.core.error.RateLimitedException;

/**
 * Each user's REST requests through one token bucket per node: a client looping on a route
 * gets 429 (with {@code Retry-After}) instead of taking the threads and connections every other
 * user's requests need. Counted after authentication, so only a valid token spends a user's budget.
 */
public final class RestRateLimit implements Authenticator {

    private final Authenticator callers;
    private final UserBuckets buckets;

    public RestRateLimit(Authenticator callers, UserBuckets buckets) {
        this.callers = callers;
        this.buckets = buckets;
    }

    @Override
    public String authenticate(String authorization) {
        String userId = callers.authenticate(authorization);
        if (!buckets.of(userId).tryTake()) {
            throw new RateLimitedException("Too many requests: slow down and retry");
        }
        return userId;
    }
}
