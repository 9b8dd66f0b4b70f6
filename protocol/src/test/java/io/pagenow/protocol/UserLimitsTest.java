package io.pagenow.protocol;

import io.pagenow.config.Environment;

import io.pagenow.core.error.RateLimitedException;
import io.pagenow.core.testing.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The per-user limits on a hand-moved clock. */
class UserLimitsTest {

    private final MutableClock clock = MutableClock.startingAt("2026-11-23T10:15:30.123Z");

    @Test
    void socketsSharingAUsersBucketGetOneBudgetTogether() {
        UserBuckets users = new UserBuckets(new FloodControl(10, 2), clock);
        TokenBucket first = new FloodControl(8, 100).newBucket(clock).sharing(() -> users.of("alice"));
        TokenBucket second = new FloodControl(8, 100).newBucket(clock).sharing(() -> users.of("alice"));
        TokenBucket bobs = new FloodControl(8, 100).newBucket(clock).sharing(() -> users.of("bob"));
        int taken = 0;
        for (int i = 0; i < 20; i++) {
            taken += (first.tryTake() ? 1 : 0) + (second.tryTake() ? 1 : 0);
        }
        assertEquals(10, taken, "the user's burst, not two sockets' 16");
        assertTrue(bobs.tryTake());
        clock.advance(Duration.ofMillis(500));
        assertTrue(second.tryTake(), "one token back after half a second at 2/s");
        assertFalse(first.tryTake());
    }

    @Test
    void aFrameTheUserBucketRefusesCostsTheSocketNothing() {
        UserBuckets users = new UserBuckets(new FloodControl(1, 1), clock);
        TokenBucket socket = new FloodControl(2, 0.001).newBucket(clock).sharing(() -> users.of("alice"));
        assertTrue(socket.tryTake());
        assertFalse(socket.tryTake());
        assertFalse(socket.tryTake());
        clock.advance(Duration.ofSeconds(1));
        assertTrue(socket.tryTake(), "the socket still had its second token");
    }

    @Test
    void anIdleUsersBucketIsForgottenOnceItWouldBeFullAgain() {
        UserBuckets users = new UserBuckets(new FloodControl(100, 20), clock);
        TokenBucket alice = users.of("alice");
        assertSame(alice, users.of("alice"));
        clock.advance(Duration.ofSeconds(5));
        assertSame(alice, users.of("alice"), "still refilling: kept");
        clock.advance(Duration.ofSeconds(7));
        assertEquals(0, users.size());
        assertNotSame(alice, users.of("alice"));
    }

    @Test
    void restRequestsPastTheUsersRateAre429() {
        RestRateLimit limit = new RestRateLimit(token -> token, new UserBuckets(new FloodControl(3, 20), clock));
        for (int i = 0; i < 3; i++) {
            assertEquals("alice", limit.authenticate("alice"));
        }
        RateLimitedException refused = assertThrows(RateLimitedException.class, () -> limit.authenticate("alice"));
        assertEquals(429, refused.status());
        assertEquals("bob", limit.authenticate("bob"));
        clock.advance(Duration.ofMillis(50));
        assertEquals("alice", limit.authenticate("alice"));
    }

    @Test
    void limitsHaveDefaultsAndNameTheirVariables() {
        Limits defaults = limitsOf(Map.of());
        assertEquals(Limits.DEFAULT, defaults);
        assertEquals(new FloodControl(100, 20), defaults.userFlood());
        assertEquals(new FloodControl(100, 20), defaults.restRate());
        assertEquals(20, defaults.maxSocketsPerUser());
        assertEquals(1, defaults.restRetryAfterSeconds());
        assertEquals(new FloodControl(7, 3), limitsOf(Map.of("FLOOD_BURST", "7",
                "FLOOD_REFILL_PER_SECOND", "3")).userFlood(), "by default one socket's budget");
        assertEquals(4, limitsOf(Map.of("REST_RATE_PER_SECOND", "0.25")).restRetryAfterSeconds());
        for (String[] bad : new String[][] {{"USER_FLOOD_BURST", "-5"}, {"USER_FLOOD_REFILL_PER_SECOND", "0"},
                {"REST_RATE_BURST", "0"}, {"REST_RATE_PER_SECOND", "fast"}, {"MAX_SOCKETS_PER_USER", "0"},
                {"MAX_SOCKETS", "-1"}, {"GROUP_MAX_PARTICIPANTS", "2"}, {"FLOOD_BURST", "-5"}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> limitsOf(Map.of(bad[0], bad[1])));
            assertTrue(e.getMessage().startsWith(bad[0] + " "), e.getMessage());
        }
    }

    /** Read as the composition roots read them: one socket's budget first, then the limits on it. */
    private static Limits limitsOf(Map<String, String> variables) {
        Environment env = new Environment(variables);
        return Limits.from(env, FloodControl.from(env));
    }
}
