package io.pagenow.core.error;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * One store's circuit: after {@code failuresToOpen} calls in a row failed with
 * {@link StoreUnavailableException} it opens, and calls fail at once with that exception instead of
 * each waiting out the store's timeout. Once {@code openFor} has passed, one call at a time is let
 * through as a probe: its success closes the circuit, its failure opens it again for as long.
 * Only store unavailability counts; any other failure is the caller's business, and so is a
 * {@linkplain StoreUnavailableException#busy() busy} store: waiting for one of this node's own
 * connections says the node is overloaded, not that the store is out, and opening the circuit
 * then would refuse for a second the calls an overload had only slowed down.
 */
public final class CircuitBreaker {

    public enum State { CLOSED, OPEN, PROBING }

    private final String store;
    private final int failuresToOpen;
    private final Duration openFor;
    private final Clock clock;

    /** Guarded by {@code this}. */
    private int failuresInARow;
    private Instant openUntil;
    private boolean probing;

    public CircuitBreaker(String store, int failuresToOpen, Duration openFor, Clock clock) {
        if (failuresToOpen < 1) {
            throw new IllegalArgumentException("failuresToOpen must be at least 1, was " + failuresToOpen);
        }
        if (openFor.isNegative() || openFor.isZero()) {
            throw new IllegalArgumentException("openFor must be positive, was " + openFor);
        }
        this.store = Objects.requireNonNull(store, "store");
        this.failuresToOpen = failuresToOpen;
        this.openFor = openFor;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Runs the call unless the circuit is open.
     *
     * @throws StoreUnavailableException at once while open (or while another call probes), or the call's own
     */
    public <T> T call(Supplier<T> call) {
        boolean probe = admit();
        try {
            T result = call.get();
            succeeded();
            return result;
        } catch (StoreUnavailableException e) {
            if (e.busy()) {
                if (probe) {
                    // No answer either way: the next call probes again.
                    probeUndecided();
                }
            } else {
                failed();
            }
            throw e;
        } catch (RuntimeException | Error e) {
            // Not the store being out: the call itself was wrong, or reached the store fine.
            if (probe) {
                succeeded();
            }
            throw e;
        }
    }

    /**
     * Runs a health check whatever the state: an answer is proof the store is back and closes the
     * circuit, unavailability opens it (again). For readiness probes, which must look at the store
     * itself rather than at the circuit.
     */
    public <T> T probe(Supplier<T> check) {
        try {
            T result = check.get();
            succeeded();
            return result;
        } catch (StoreUnavailableException e) {
            if (!e.busy()) {
                synchronized (this) {
                    failuresInARow = Math.max(failuresInARow + 1, failuresToOpen);
                    openUntil = clock.instant().plus(openFor);
                }
            }
            throw e;
        }
    }

    public synchronized State state() {
        if (openUntil == null) {
            return State.CLOSED;
        }
        return probing || !clock.instant().isBefore(openUntil) ? State.PROBING : State.OPEN;
    }

    /** @return whether this call is the probe of an open circuit */
    private synchronized boolean admit() {
        if (openUntil == null) {
            return false;
        }
        if (probing || clock.instant().isBefore(openUntil)) {
            throw new StoreUnavailableException(store, new IllegalStateException(store + " circuit open"));
        }
        probing = true;
        return true;
    }

    private synchronized void succeeded() {
        failuresInARow = 0;
        openUntil = null;
        probing = false;
    }

    private synchronized void probeUndecided() {
        probing = false;
    }

    private synchronized void failed() {
        failuresInARow++;
        if (probing || failuresInARow >= failuresToOpen) {
            openUntil = clock.instant().plus(openFor);
            probing = false;
        }
    }
}
