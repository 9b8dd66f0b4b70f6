package io.pagenow.core.error;

import io.pagenow.core.testing.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CircuitBreakerTest {

    private final MutableClock clock = MutableClock.startingAt("2026-12-02T10:00:00Z");
    private final CircuitBreaker breaker = new CircuitBreaker("Store", 3, Duration.ofSeconds(1), clock);
    private final AtomicInteger reached = new AtomicInteger();

    @Test
    void opensAfterFailuresInARowAndThenRefusesWithoutCallingTheStore() {
        fail();
        fail();
        assertEquals(CircuitBreaker.State.CLOSED, breaker.state());
        fail();
        assertEquals(CircuitBreaker.State.OPEN, breaker.state());
        int before = reached.get();
        StoreUnavailableException refused = assertThrows(StoreUnavailableException.class, () -> breaker.call(this::ok));
        assertEquals("Store unavailable", refused.getMessage());
        assertEquals(before, reached.get(), "an open circuit does not call the store");
    }

    @Test
    void aSuccessResetsTheCount() {
        fail();
        fail();
        assertEquals("ok", breaker.call(this::ok));
        fail();
        fail();
        assertEquals(CircuitBreaker.State.CLOSED, breaker.state());
    }

    @Test
    void probesOnceTheOpenPeriodPassedAndClosesOnSuccess() {
        openIt();
        clock.advance(Duration.ofMillis(999));
        assertThrows(StoreUnavailableException.class, () -> breaker.call(this::ok));
        clock.advance(Duration.ofMillis(1));
        assertEquals(CircuitBreaker.State.PROBING, breaker.state());
        assertEquals("ok", breaker.call(this::ok));
        assertEquals(CircuitBreaker.State.CLOSED, breaker.state());
    }

    @Test
    void aFailedProbeOpensItAgainForTheWholePeriod() {
        openIt();
        clock.advance(Duration.ofSeconds(1));
        fail();
        assertEquals(CircuitBreaker.State.OPEN, breaker.state(), "one failed probe is enough");
        clock.advance(Duration.ofMillis(999));
        assertThrows(StoreUnavailableException.class, () -> breaker.call(this::ok));
        clock.advance(Duration.ofMillis(1));
        assertEquals("ok", breaker.call(this::ok));
    }

    @Test
    void onlyOneProbeAtATime() {
        openIt();
        clock.advance(Duration.ofSeconds(1));
        String answer = breaker.call(() -> {
            assertThrows(StoreUnavailableException.class, () -> breaker.call(this::ok),
                    "a second call while the probe runs is refused");
            return "probe";
        });
        assertEquals("probe", answer);
        assertEquals(CircuitBreaker.State.CLOSED, breaker.state());
    }

    @Test
    void aProbeLooksAtTheStoreWhateverTheStateAndDecidesIt() {
        openIt();
        assertEquals("up", breaker.probe(() -> "up"), "a probe runs while the circuit is open");
        assertEquals(CircuitBreaker.State.CLOSED, breaker.state(), "an answer closes it");
        assertThrows(StoreUnavailableException.class, () -> breaker.probe(() -> {
            throw new StoreUnavailableException("Store", null);
        }));
        assertEquals(CircuitBreaker.State.OPEN, breaker.state(), "a failed probe opens it at once");
    }

    @Test
    void otherFailuresDoNotCount() {
        for (int i = 0; i < 5; i++) {
            assertThrows(InvalidInputException.class, () -> breaker.call(() -> {
                throw new InvalidInputException("bad");
            }));
        }
        assertEquals(CircuitBreaker.State.CLOSED, breaker.state());
    }

    @Test
    void aBusyStoreIsAnOverloadNotAnOutageAndNeverOpensTheCircuit() {
        for (int i = 0; i < 5; i++) {
            StoreUnavailableException busy = assertThrows(StoreUnavailableException.class, () -> breaker.call(this::busy));
            assertTrue(busy.busy());
            assertEquals("Store busy", busy.getMessage());
        }
        assertThrows(StoreUnavailableException.class, () -> breaker.probe(this::busy));
        assertEquals(CircuitBreaker.State.CLOSED, breaker.state());
        fail();
        fail();
        assertThrows(StoreUnavailableException.class, () -> breaker.call(this::busy));
        fail();
        assertEquals(CircuitBreaker.State.OPEN, breaker.state(), "busy answers neither count nor reset the failures");
    }

    @Test
    void aBusyProbeDecidesNothingAndTheNextCallProbesAgain() {
        openIt();
        clock.advance(Duration.ofSeconds(1));
        assertThrows(StoreUnavailableException.class, () -> breaker.call(this::busy));
        assertEquals(CircuitBreaker.State.PROBING, breaker.state());
        assertEquals("ok", breaker.call(this::ok));
        assertEquals(CircuitBreaker.State.CLOSED, breaker.state());
    }

    @Test
    void refusesNonsense() {
        assertThrows(IllegalArgumentException.class, () -> new CircuitBreaker("s", 0, Duration.ofSeconds(1), clock));
        assertThrows(IllegalArgumentException.class, () -> new CircuitBreaker("s", 1, Duration.ZERO, clock));
    }

    private void openIt() {
        fail();
        fail();
        fail();
        assertEquals(CircuitBreaker.State.OPEN, breaker.state());
    }

    private void fail() {
        assertThrows(StoreUnavailableException.class, () -> breaker.call(() -> {
            reached.incrementAndGet();
            throw new StoreUnavailableException("Store", null);
        }));
    }

    private String busy() {
        reached.incrementAndGet();
        throw StoreUnavailableException.busy("Store", null);
    }

    private String ok() {
        reached.incrementAndGet();
        return "ok";
    }
}
