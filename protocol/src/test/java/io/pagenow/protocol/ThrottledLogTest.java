package io.pagenow.protocol;

import io.pagenow.core.testing.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ThrottledLogTest {

    private final MutableClock clock = MutableClock.startingAt("2026-12-02T11:00:00Z");
    private final ThrottledLog log = new ThrottledLog(Duration.ofSeconds(10), clock);

    @Test
    void oneLinePerKindPerIntervalCarryingTheCountSinceThePreviousLine() {
        assertEquals(1, log.count("postgres"), "the first failure is logged at once");
        for (int i = 0; i < 1_500; i++) {
            assertEquals(0, log.count("postgres"));
            clock.advance(Duration.ofMillis(5));
        }
        assertEquals(1, log.count("redis"), "another kind has its own interval");
        clock.advance(Duration.ofMillis(2_500));
        assertEquals(1_501, log.count("postgres"), "1,500 held back and this one");
        assertEquals(0, log.count("postgres"));
        clock.advance(Duration.ofSeconds(10));
        assertEquals(2, log.count("postgres"));
    }
}
