package io.pagenow.bench;

import java.util.Locale;
import java.util.Map;

/**
 * The figures of a run's result maps: rounded as they are recorded, read back by their path in
 * the nested maps, and written as the Markdown tables show them. The report's tables and goals
 * read them the same way, so an absent or non-numeric figure shows the same everywhere.
 */
final class Figures {

    private Figures() {
    }

    /** Two decimals: what every rate, duration and ratio of a result is recorded with. */
    static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    static Object path(Object root, String... keys) {
        Object at = root;
        for (String key : keys) {
            if (!(at instanceof Map<?, ?> m)) {
                return null;
            }
            at = m.get(key);
        }
        return at;
    }

    static boolean atLeast(Object o, double min) {
        return o instanceof Number n && n.doubleValue() >= min;
    }

    static Double number(Object o) {
        return o instanceof Number n ? n.doubleValue() : null;
    }

    static String fmt(Object o) {
        if (o == null) {
            return "";
        }
        if (o instanceof Double d) {
            if (d >= 1000) {
                return String.format(Locale.ROOT, "%,.0f", d);
            }
            return String.format(Locale.ROOT, "%.2f", d).replaceAll("\\.?0+$", "");
        }
        if (o instanceof Number n) {
            return String.format(Locale.ROOT, "%,d", n.longValue());
        }
        if (o instanceof Boolean b) {
            return b ? "yes" : "**no**";
        }
        return o.toString();
    }

    static String kib(Object bytes) {
        return bytes instanceof Number n ? String.format(Locale.ROOT, "%.1f", n.doubleValue() / 1024) : "";
    }

    static String mib(Object bytes) {
        return bytes instanceof Number n ? String.format(Locale.ROOT, "%.0f", n.doubleValue() / (1024 * 1024)) : "";
    }
}
