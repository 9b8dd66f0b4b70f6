package io.pagenow.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static io.pagenow.bench.Figures.number;
import static io.pagenow.bench.Figures.path;

/**
 * The comparison of {@code bench/run peers}: for each pair of set-ups, the highest rate of the
 * ladder sustained (complete, nothing lost, no error, p99 under the limit), the server's CPU per
 * item at the ladder's first rate, and resident memory per idle socket; each as ours, ejabberd's
 * and the ratio ours / ejabberd.
 */
final class PeersReport {

    /** Which of our set-ups is compared with which of ejabberd's. */
    static final List<String[]> PAIRS = List.of(
            new String[] {"chat stored and delivered", "postgres-redis/chat", "ejabberd-mam/chat"},
            new String[] {"chat delivered, no archive", "embedded/chat", "ejabberd/chat"},
            new String[] {"presence to 5 friends", "embedded/presence", "ejabberd/presence"});

    private PeersReport() {
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> compare(Map<String, Object> ours, Map<String, Object> peer, double p99LimitMs) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (String[] pair : PAIRS) {
            Map<String, Object> a = (Map<String, Object>) ours.getOrDefault(pair[1], Map.of());
            Map<String, Object> b = (Map<String, Object>) peer.getOrDefault(pair[2], Map.of());
            rows.add(row(pair[0], "highest rate at p99 < " + (int) p99LimitMs + " ms (per s)",
                    highestSustained(a, p99LimitMs), highestSustained(b, p99LimitMs)));
            rows.add(row(pair[0], "server CPU per item at the first rate (µs)", cpuPerItemMicros(first(a)),
                    cpuPerItemMicros(first(b))));
            rows.add(row(pair[0], "p99 at the first rate (ms)", number(path(first(a), "latency", "p99_ms")),
                    number(path(first(b), "latency", "p99_ms"))));
        }
        Map<String, Object> a = (Map<String, Object>) ours.getOrDefault("embedded/connections", Map.of());
        Map<String, Object> b = (Map<String, Object>) peer.getOrDefault("ejabberd/connections", Map.of());
        rows.add(row("idle sockets", "resident memory per socket (KiB)", kib(a.get("rss_per_socket_bytes")),
                kib(b.get("rss_per_socket_bytes"))));
        rows.add(row("connect storm", "sockets opened per s", number(a.get("rate_achieved")), number(b.get("rate_achieved"))));
        rows.add(row("connect storm", "connect p99 (ms)", number(path(a, "latency", "p99_ms")),
                number(path(b, "latency", "p99_ms"))));
        return rows;
    }

    /** The highest target rate of a ladder sustained: complete, nothing lost, no error, p99 under the limit; 0 for none. */
    @SuppressWarnings("unchecked")
    static Double highestSustained(Map<String, Object> ladder, double p99LimitMs) {
        if (ladder.isEmpty()) {
            return null;
        }
        double best = 0;
        for (Map.Entry<String, Object> step : ladder.entrySet()) {
            Map<String, Object> r = (Map<String, Object>) step.getValue();
            Double p99 = number(path(r, "latency", "p99_ms"));
            boolean ok = Boolean.TRUE.equals(r.get("complete")) && isZero(r.get("lost")) && isZero(r.get("errors"))
                    && p99 != null && p99 < p99LimitMs;
            if (ok) {
                best = Math.max(best, Double.parseDouble(step.getKey()));
            }
        }
        return best;
    }

    /** Server CPU time per fully delivered item, in µs. */
    static Double cpuPerItemMicros(Map<String, Object> r) {
        Double cores = number(path(r, "cpu", "server_cores"));
        Double rate = number(r.get("rate_achieved"));
        return cores == null || rate == null || rate == 0 ? null : Math.round(cores / rate * 1e7) / 10.0;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> first(Map<String, Object> ladder) {
        return ladder.isEmpty() ? Map.of() : (Map<String, Object>) ladder.values().iterator().next();
    }

    private static Map<String, Object> row(String scenario, String figure, Double ours, Double peer) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("scenario", scenario);
        m.put("figure", figure);
        m.put("ours", ours);
        m.put("ejabberd", peer);
        m.put("ratio", ours == null || peer == null || peer == 0 ? null : Math.round(ours / peer * 100) / 100.0);
        return m;
    }

    static String markdown(String stamp, String pinning, List<Map<String, Object>> rows) {
        StringBuilder md = new StringBuilder();
        md.append("Run ").append(stamp).append(" (").append(pinning).append(")\n\n");
        md.append("| scenario | figure | ours | ejabberd | ours / ejabberd |\n|---|---|---|---|---|\n");
        for (Map<String, Object> r : rows) {
            md.append("| ").append(r.get("scenario")).append(" | ").append(r.get("figure")).append(" | ")
                    .append(fmt(r.get("ours"))).append(" | ").append(fmt(r.get("ejabberd"))).append(" | ")
                    .append(fmt(r.get("ratio"))).append(" |\n");
        }
        return md.toString();
    }

    private static String fmt(Object o) {
        if (o == null) {
            return "n/a";
        }
        double d = ((Number) o).doubleValue();
        return d == Math.rint(d) && Math.abs(d) < 1e12 ? String.format(Locale.ROOT, "%,d", (long) d)
                : String.format(Locale.ROOT, "%,.2f", d);
    }

    private static Double kib(Object bytes) {
        return bytes instanceof Number n ? Math.round(n.doubleValue() / 1024 * 10) / 10.0 : null;
    }

    private static boolean isZero(Object o) {
        return o == null || (o instanceof Number n && n.longValue() == 0);
    }
}
