package io.pagenow.bench;

import java.util.Locale;
import java.util.Map;

import static io.pagenow.bench.Figures.fmt;
import static io.pagenow.bench.Figures.path;

/**
 * The report's latency table: a row per back end and scenario with its rate, latency, loss,
 * errors, cores and goal, and below it the rows of the same scenario's other measurements (the
 * sender's echo, the messages page, the capacity step, the warm-up).
 */
final class LatencyTable {

    private LatencyTable() {
    }

    @SuppressWarnings("unchecked")
    static void append(StringBuilder md, Map<String, Object> backends) {
        md.append("\n| back end | scenario | target /s | achieved /s | of limit | p50 ms | p90 ms | p99 ms | max ms "
                + "| sent | lost | errors | cores: server / loadgen / other | goal | met |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        backends.forEach((backend, value) -> {
            Map<String, Object> scenarios = (Map<String, Object>) value;
            if (scenarios.containsKey("skipped") || scenarios.containsKey("error")) {
                md.append("| ").append(backend).append(" | all | ")
                        .append(scenarios.containsKey("skipped") ? "not run: " + scenarios.get("skipped")
                                : "error: " + scenarios.get("error"))
                        .append(" |||||||||||||\n");
            }
            scenarios.forEach((name, r) -> {
                if (!(r instanceof Map<?, ?>)) {
                    return;
                }
                if (path(r, "error") != null) {
                    md.append("| ").append(backend).append(" | ").append(name).append(" | error: ")
                            .append(path(r, "error")).append(" |||||||||||||\n");
                    return;
                }
                rows(md, backend, name, (Map<String, Object>) r);
            });
        });
    }

    private static void rows(StringBuilder md, String backend, String name, Map<String, Object> r) {
        String cores = cores(r.get("cpu"));
        String label = switch (name) {
            case "rest" -> "rest: GET /conversations";
            case "connections" -> "connections (connect)";
            default -> name;
        };
        md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |%n",
                backend, label, fmt(r.get("rate_target")), fmt(r.get("rate_achieved")), fmt(r.get("ratio_to_limit")),
                fmt(path(r, "latency", "p50_ms")), fmt(path(r, "latency", "p90_ms")), fmt(path(r, "latency", "p99_ms")),
                fmt(path(r, "latency", "max_ms")), fmt(r.getOrDefault("sent", r.get("sockets_target"))), lost(r),
                fmt(r.get("errors")), cores, fmt(r.get("goal")), fmt(r.get("goal_met"))));
        if (name.equals("rest")) {
            Object page = r.get("latency_messages_page");
            md.append(String.format(Locale.ROOT, "| %s | rest: messages page | | | | %s | %s | %s | %s | | | | | | |%n",
                    backend, fmt(path(page, "p50_ms")), fmt(path(page, "p90_ms")), fmt(path(page, "p99_ms")),
                    fmt(path(page, "max_ms"))));
        }
        if (name.equals("chat") || name.equals("presence")) {
            Object own = r.get(name.equals("chat") ? "latency_to_sender" : "latency_to_self");
            md.append(String.format(Locale.ROOT, "| %s | %s: echo to %s | | | | %s | %s | %s | %s | | | | | | |%n",
                    backend, name, name.equals("chat") ? "sender" : "self", fmt(path(own, "p50_ms")),
                    fmt(path(own, "p90_ms")), fmt(path(own, "p99_ms")), fmt(path(own, "max_ms"))));
        }
        Object capacity = r.get("capacity");
        if (path(capacity, "rate") != null) {
            md.append(String.format(Locale.ROOT, "| %s | %s: capacity, closed loop, %s in flight, %s s | | %s | %s | %s | %s | %s | %s | %s | | | %s | | |%n",
                    backend, name.equals("rest") ? "rest: GET /conversations" : name, fmt(path(capacity, "window")), fmt(path(capacity, "seconds")), fmt(path(capacity, "rate")),
                    fmt(path(capacity, "ratio_to_limit")), fmt(path(capacity, "latency", "p50_ms")),
                    fmt(path(capacity, "latency", "p90_ms")), fmt(path(capacity, "latency", "p99_ms")),
                    fmt(path(capacity, "latency", "max_ms")), fmt(path(capacity, "sent")),
                    cores(path(capacity, "cpu"))));
        }
        Object warmup = r.get("latency_warmup");
        if (r.get("warmup_s") instanceof Number seconds && seconds.intValue() > 0 && path(warmup, "count") != null) {
            md.append(String.format(Locale.ROOT, "| %s | %s: warm-up, first %s s (not in the row above) | | | | %s | %s | %s | %s | | | | | | |%n",
                    backend, name, fmt(seconds), fmt(path(warmup, "p50_ms")), fmt(path(warmup, "p90_ms")),
                    fmt(path(warmup, "p99_ms")), fmt(path(warmup, "max_ms"))));
        }
    }

    private static String cores(Object cpu) {
        return path(cpu, "server_cores") == null ? "" : fmt(path(cpu, "server_cores")) + " / "
                + fmt(path(cpu, "loadgen_cores")) + " / " + fmt(path(cpu, "other_cores"));
    }

    /** Lost, and beside it what was still undelivered when the drain time ran out. */
    private static String lost(Map<String, Object> r) {
        Object late = r.get("undelivered_after_drain");
        if (!(late instanceof Number n) || n.longValue() == 0) {
            return fmt(r.get("lost"));
        }
        Object never = r.get("undelivered_after_twice_the_drain");
        return fmt(r.get("lost")) + " (" + fmt(n) + " undelivered at the drain"
                + (never instanceof Number m ? ", " + fmt(m) + " after twice as long" : "") + ")";
    }
}
