package io.pagenow.bench;

import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * Issues work on a fixed schedule whether or not the server keeps up: item {@code i} is due at
 * {@code start + i / rate}. When the issuing thread falls behind (a pause of this JVM, a slow
 * socket write) the late items go out at once carrying their original due time, so latency
 * measured from it includes the wait: no coordinated omission.
 */
final class OpenLoop {

    @FunctionalInterface
    interface Action {
        void issue(long index, long intendedNanos);
    }

    /** How far behind its schedule the issuing thread ever was. */
    record Outcome(long issued, long startNanos, long endNanos, long maxLagNanos) {
        double seconds() {
            return (endNanos - startNanos) / 1e9;
        }

        /**
         * What every open-loop scenario reports of its schedule: the rate asked for, the rate
         * achieved ({@code completed} items by the last one's completion, counted from the start)
         * and the worst slip of the issuing thread.
         */
        void putRates(Map<String, Object> result, double rateTarget, long completed, long lastCompletedNanos) {
            result.put("rate_target", rateTarget);
            result.put("rate_achieved", completed == 0 ? 0.0
                    : Figures.round(completed / ((lastCompletedNanos - startNanos) / 1e9)));
            result.put("send_lag_max_ms", Figures.round(maxLagNanos / 1e6));
        }

        /** How many items were sent and how fast, for scenarios whose items are frames sent. */
        void putSends(Map<String, Object> result) {
            result.put("sent", issued);
            result.put("send_rate", Figures.round(issued / seconds()));
        }
    }

    private OpenLoop() {
    }

    static long dueNanos(long startNanos, long index, double ratePerSecond) {
        return startNanos + (long) (index * (1e9 / ratePerSecond));
    }

    static Outcome run(long count, double ratePerSecond, Action action) {
        long start = System.nanoTime();
        long maxLag = 0;
        for (long i = 0; i < count; i++) {
            long due = dueNanos(start, i, ratePerSecond);
            long now = System.nanoTime();
            if (now < due) {
                LockSupport.parkNanos(due - now);
            } else {
                maxLag = Math.max(maxLag, now - due);
            }
            action.issue(i, due);
        }
        return new Outcome(count, start, System.nanoTime(), maxLag);
    }
}
