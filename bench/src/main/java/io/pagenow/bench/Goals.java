package io.pagenow.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static io.pagenow.bench.Figures.atLeast;
import static io.pagenow.bench.Figures.fmt;
import static io.pagenow.bench.Figures.number;
import static io.pagenow.bench.Figures.path;

/**
 * Issue 17's goals, each judged met or missed on this run's figures (with the figure beside it),
 * or "not measured" where the profile ran below the goal's size or the run has no base to compare
 * with. One row per goal and back end that ran its scenario.
 */
final class Goals {

    static final String NOT_AT_SIZE = "not measured at this profile's size";

    private Goals() {
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> of(Map<String, Object> report) {
        List<Map<String, Object>> rows = new ArrayList<>();
        Map<String, Object> backends = (Map<String, Object>) report.get("backends");
        Object jetty = path(report, "reference", BenchRun.JETTY_ECHO);
        Object before = path(report, "before", "backends");
        backends.forEach((backend, value) -> {
            Object presence = path(value, "presence");
            if (presence instanceof Map<?, ?>) {
                Double rate = number(path(presence, "rate_achieved"));
                Double p99 = number(path(presence, "latency", "p99_ms"));
                rows.add(row("presence 10,000 updates/s to 5 friends, p99 < 50 ms (on PostgreSQL + Redis)", backend,
                        rateAndP99(presence),
                        atLeast(path(presence, "rate_target"), 10_000) && atLeast(path(presence, "friends_each"), 5),
                        rate != null && rate >= 10_000 * 0.98 && p99 != null && p99 < 50));
            }
            Object rest = path(value, "rest");
            if (rest instanceof Map<?, ?>) {
                Double rate = number(path(rest, "rate_achieved"));
                Double p99 = number(path(rest, "latency", "p99_ms"));
                boolean atSize = atLeast(path(rest, "dataset", "messages"), 1_000_000);
                rows.add(row("GET /conversations 1,000/s, p99 < 10 ms", backend, rateAndP99(rest),
                        atSize && atLeast(path(rest, "rate_target"), 1_000),
                        rate != null && rate >= 1_000 * 0.98 && p99 != null && p99 < 10));
                Double capacity = number(path(rest, "capacity", "rate"));
                rows.add(row("GET /conversations capacity >= 3,000/s", backend,
                        capacity == null ? "" : fmt(capacity) + "/s, p99 " + fmt(path(rest, "capacity", "latency", "p99_ms"))
                                + " ms (closed loop, " + fmt(path(rest, "capacity", "window")) + " in flight)",
                        atSize && capacity != null, capacity != null && capacity >= 3_000));
            }
            Object chat = path(value, "chat");
            if (chat instanceof Map<?, ?>) {
                Double rate = number(path(chat, "rate_achieved"));
                Double p99 = number(path(chat, "latency", "p99_ms"));
                rows.add(row("chat 5,000 msg/s, p99 < 50 ms", backend, rateAndP99(chat),
                        atLeast(path(chat, "rate_target"), 5_000),
                        rate != null && rate >= 5_000 * 0.98 && p99 != null && p99 < 50));
                Double ratio = number(path(chat, "capacity", "ratio_to_limit"));
                if (backend.equals(BenchRun.POSTGRES_REDIS)) {
                        rows.add(row("chat capacity >= 0.7 of pgbench's insert rate", backend,
                            ratio == null ? "" : fmt(path(chat, "capacity", "rate")) + "/s = " + fmt(ratio) + " of pgbench",
                            ratio != null, ratio != null && ratio >= 0.7));
                }
            }
            Object connections = path(value, "connections");
            if (connections instanceof Map<?, ?>) {
                Double rate = number(path(connections, "rate_achieved"));
                Double p99 = number(path(connections, "latency", "p99_ms"));
                Double jettyRate = number(path(jetty, "rate_achieved"));
                Double ofJetty = rate == null || jettyRate == null || jettyRate == 0 ? null
                        : Math.round(rate / jettyRate * 100) / 100.0;
                rows.add(row("connect storm >= 2,000/s at p99 < 250 ms, or >= 0.8 of bare Jetty's connect rate",
                        backend, rateAndP99(connections) + (ofJetty == null ? "" : "; bare Jetty " + fmt(jettyRate)
                                + "/s (p99 " + fmt(path(jetty, "latency", "p99_ms")) + " ms): " + fmt(ofJetty) + " of it"),
                        atLeast(path(connections, "rate_target"), 2_000),
                        rate != null && (rate >= 2_000 * 0.98 && p99 != null && p99 < 250
                                || ofJetty != null && ofJetty >= 0.8)));
            }
            for (String scenario : List.of("presence", "rest", "chat")) {
                Object after = path(value, scenario, "cpu");
                if (after == null) {
                    continue;
                }
                Object was = path(before, backend, scenario, "cpu");
                Double ratio = CpuTables.serverRatio(was, after);
                Map<String, Object> r = row("server CPU per item halved vs the before run: " + scenario, backend,
                        ratio == null ? "" : fmt(path(was, "us_per_item", "server")) + " -> "
                                + fmt(path(after, "us_per_item", "server")) + " µs = " + fmt(ratio) + " of before",
                        ratio != null, ratio != null && ratio <= 0.5);
                if (was == null) {
                    r.put("met", "not measured: no before run (bench/run --base=REV)");
                }
                rows.add(r);
            }
        });
        return rows;
    }

    private static String rateAndP99(Object r) {
        return fmt(path(r, "rate_achieved")) + "/s of " + fmt(path(r, "rate_target")) + " offered, p99 "
                + fmt(path(r, "latency", "p99_ms")) + " ms";
    }

    private static Map<String, Object> row(String goal, String backend, String figure, boolean measured, boolean met) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("goal", goal);
        m.put("backend", backend);
        m.put("figure", figure);
        m.put("met", measured ? (Object) (met ? "met" : "missed") : NOT_AT_SIZE);
        return m;
    }

    static void markdown(StringBuilder md, List<Map<String, Object>> goals) {
        if (goals == null) {
            return;
        }
        md.append("Goals (issue 17):\n\n| goal | back end | figure | met |\n|---|---|---|---|\n");
        for (Map<String, Object> g : goals) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s |%n", g.get("goal"), g.get("backend"),
                    g.get("figure"), "missed".equals(g.get("met")) ? "**missed**" : g.get("met")));
        }
    }
}
