package io.pagenow.bench;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Latencies from the intended send time, in microseconds. Many socket threads record at once;
 * {@link Recorder} makes that wait-free.
 *
 * <p>The first {@code warmupItems} items of a run are recorded apart: a freshly started server
 * runs interpreted until the JIT has compiled its hot paths, and at thousands of items a second
 * those first seconds would otherwise be the whole 99th percentile of a 30 s run. The warm-up's
 * figures are still reported ({@link #warmupSummary}), and its items are checked for loss like
 * every other.
 */
final class Latency {

    private final long warmupItems;
    private final Recorder recorder = new Recorder(3);
    private final Recorder warmupRecorder = new Recorder(3);
    private final Histogram total = new Histogram(3);
    private final Histogram warmup = new Histogram(3);

    Latency(long warmupItems) {
        this.warmupItems = warmupItems;
    }

    /** Latency of item {@code index} (its place in the open-loop schedule). */
    void record(long index, long intendedNanos, long nowNanos) {
        long micros = Math.max(1, (nowNanos - intendedNanos) / 1_000);
        (index < warmupItems ? warmupRecorder : recorder).recordValue(micros);
    }

    synchronized Histogram histogram() {
        total.add(recorder.getIntervalHistogram());
        return total.copy();
    }

    synchronized Histogram warmupHistogram() {
        warmup.add(warmupRecorder.getIntervalHistogram());
        return warmup.copy();
    }

    Map<String, Object> summary() {
        return summary(histogram());
    }

    Map<String, Object> warmupSummary() {
        return summary(warmupHistogram());
    }

    static Map<String, Object> summary(Histogram h) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("count", h.getTotalCount());
        if (h.getTotalCount() > 0) {
            m.put("p50_ms", ms(h.getValueAtPercentile(50)));
            m.put("p90_ms", ms(h.getValueAtPercentile(90)));
            m.put("p99_ms", ms(h.getValueAtPercentile(99)));
            m.put("p999_ms", ms(h.getValueAtPercentile(99.9)));
            m.put("max_ms", ms(h.getMaxValue()));
            m.put("mean_ms", Math.round(h.getMean()) / 1000.0);
        }
        return m;
    }

    private static double ms(long micros) {
        return Math.round(micros / 10.0) / 100.0;
    }
}
