package io.pagenow.bench;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Latencies from the intended send time, in microseconds. Many socket threads record at once;
 * {@link Recorder} makes that wait-free.
 */
final class Latency {

    private final Recorder recorder = new Recorder(3);
    private final Histogram total = new Histogram(3);

    void record(long intendedNanos, long nowNanos) {
        recorder.recordValue(Math.max(1, (nowNanos - intendedNanos) / 1_000));
    }

    synchronized Histogram histogram() {
        total.add(recorder.getIntervalHistogram());
        return total.copy();
    }

    Map<String, Object> summary() {
        return summary(histogram());
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
