package io.pagenow.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/**
 * A capacity step: a closed loop keeping {@code window} items in flight for a few seconds, the
 * next issued as soon as one completes or fails. A fixed rate only shows whether that rate is
 * reached; this shows the most the server completes a second. Its latency runs from each item's
 * issue (there is no schedule to wait on), so it is reported only beside the step.
 */
final class ClosedLoop {

    @FunctionalInterface
    interface Issuer {
        /** Issues the step's item {@code k} (0, 1, ...) now, at {@code issuedNanos}. */
        void issue(long k, long issuedNanos);
    }

    /**
     * @param sent    items issued
     * @param drained every item issued completed or failed within the drain time
     * @param figures what the report shows of the step
     */
    record Outcome(long sent, long completed, boolean drained, Map<String, Object> figures) {

        /** A step not run (the fixed-rate run before it did not drain, or the profile has none). */
        static Outcome notRun() {
            return new Outcome(0, 0, true, new LinkedHashMap<>());
        }
    }

    private final int window;
    private final Semaphore inFlight;
    private final LongAdder completed = new LongAdder();
    private final LongAccumulator lastCompleted = new LongAccumulator(Math::max, Long.MIN_VALUE);
    private final Latency latency = new Latency(0);

    ClosedLoop(int window) {
        this.window = window;
        this.inFlight = new Semaphore(window);
    }

    /** What one receiver got of item {@code k}, issued at {@code issuedNanos}. */
    void record(long k, long issuedNanos, long nowNanos) {
        latency.record(k, issuedNanos, nowNanos);
    }

    /** Item done (stored, delivered, answered): counted, and its place in the window is free. */
    void completed(long nowNanos) {
        completed.increment();
        lastCompleted.accumulate(nowNanos);
        inFlight.release();
    }

    /** Item failed: not counted, but its place in the window is free. */
    void failed() {
        inFlight.release();
    }

    /**
     * Issues items for {@code seconds} (at most {@code max}), each as soon as the window has room,
     * then waits for the last ones. A window that stays full for the drain time stalls the step.
     *
     * @param cpu the window over the step, opened just before it
     */
    Outcome run(int seconds, long max, int drainSeconds, CpuWindow cpu, Issuer issuer) throws InterruptedException {
        long start = System.nanoTime();
        long end = start + seconds * 1_000_000_000L;
        long sent = 0;
        boolean stalled = false;
        while (System.nanoTime() < end && sent < max) {
            if (!inFlight.tryAcquire(drainSeconds, TimeUnit.SECONDS)) {
                stalled = true;
                break;
            }
            issuer.issue(sent++, System.nanoTime());
        }
        boolean drained = !stalled && inFlight.tryAcquire(window, drainSeconds, TimeUnit.SECONDS);
        long done = completed.sum();
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("window", window);
        figures.put("seconds", seconds);
        figures.put("sent", sent);
        figures.put("rate", done == 0 ? 0.0 : Figures.round(done / ((lastCompleted.get() - start) / 1e9)));
        figures.put("latency", latency.summary());
        figures.put("cpu", cpu.close(done));
        figures.put("complete", drained);
        return new Outcome(sent, done, drained, figures);
    }
}
