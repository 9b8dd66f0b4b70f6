package io.pagenow.protocol;

import io.pagenow.core.testing.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenBucketTest {

    private final MutableClock clock = MutableClock.startingAt("2026-11-23T10:15:30.123Z");

    private int takeAll(TokenBucket bucket, int attempts) {
        int taken = 0;
        for (int i = 0; i < attempts; i++) {
            if (bucket.tryTake()) {
                taken++;
            }
        }
        return taken;
    }

    @Test
    void theDefaultAllowsABurstOf100ThenRefills20PerSecond() {
        TokenBucket bucket = FloodControl.DEFAULT.newBucket(clock);
        assertEquals(100, takeAll(bucket, 150));
        assertFalse(bucket.tryTake());
        clock.advance(Duration.ofMillis(50));
        assertTrue(bucket.tryTake());
        assertFalse(bucket.tryTake());
        clock.advance(Duration.ofSeconds(1));
        assertEquals(20, takeAll(bucket, 30));
    }

    @Test
    void neverHoldsMoreThanTheBurst() {
        TokenBucket bucket = new FloodControl(3, 1).newBucket(clock);
        clock.advance(Duration.ofHours(1));
        assertEquals(3, takeAll(bucket, 10));
    }

    @Test
    void aClockGoingBackwardsAddsNothing() {
        TokenBucket bucket = new FloodControl(1, 1).newBucket(clock);
        assertTrue(bucket.tryTake());
        clock.advance(Duration.ofSeconds(-10));
        assertFalse(bucket.tryTake());
    }

    @Test
    void refusesNonsenseSettings() {
        assertThrows(IllegalArgumentException.class, () -> new FloodControl(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new FloodControl(1, 0));
        assertThrows(IllegalArgumentException.class, () -> new FloodControl(1, Double.NaN));
    }
}
