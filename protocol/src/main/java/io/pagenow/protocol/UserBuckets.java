package io.pagenow.protocol;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import java.time.Clock;
import java.time.Duration;

/**
 * One token bucket per user, for limits over all of a user's sockets or requests on a node. A
 * bucket unused for as long as it takes to refill completely is forgotten: a new one is just as
 * full, so forgetting it changes nothing but the memory an idle user costs.
 */
public final class UserBuckets {

    private final FloodControl settings;
    private final Clock clock;
    private final Cache<String, TokenBucket> buckets;

    public UserBuckets(FloodControl settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        long refillNanos = (long) Math.ceil(settings.burst() / settings.refillPerSecond() * 1e9);
        this.buckets = Caffeine.newBuilder()
                .expireAfterAccess(Duration.ofNanos(refillNanos).plusSeconds(1))
                .ticker(() -> clock.millis() * 1_000_000L)
                .build();
    }

    /** The user's bucket, full when the user had none. */
    public TokenBucket of(String userId) {
        return buckets.get(userId, id -> settings.newBucket(clock));
    }

    /** Users with a bucket now, for tests. */
    long size() {
        buckets.cleanUp();
        return buckets.estimatedSize();
    }
}
