package io.pagenow.bench;

import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The run's JSON, and the same figures as a Markdown table. */
final class Report {

    private Report() {
    }

    static Path[] write(Path results, String stamp, Map<String, Object> report) throws IOException {
        Files.createDirectories(results);
        Path json = results.resolve(stamp + ".json");
        Path md = results.resolve(stamp + ".md");
        Wire.JSON.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), report);
        Files.writeString(md, markdown(report));
        return new Path[] {json, md};
    }

    /**
     * Puts each scenario's throughput beside the matching machine limit and its goal from issue 7
     * (for the base jar's figures too, when there are), then issue 17's goals table.
     */
    @SuppressWarnings("unchecked")
    static void addRatiosAndGoals(Map<String, Object> report) {
        Map<String, Object> limits = (Map<String, Object>) report.get("limits");
        Double pgTps = number(path(limits, "pgbench", "tps"));
        Double redisUpdates = number(path(limits, "redis", "presence_updates_per_s"));
        addRatiosAndGoals((Map<String, Object>) report.get("backends"), pgTps, redisUpdates);
        if (path(report, "before", "backends") instanceof Map<?, ?> before) {
            addRatiosAndGoals((Map<String, Object>) before, pgTps, redisUpdates);
        }
        report.put("goals", Goals.of(report));
    }

    @SuppressWarnings("unchecked")
    private static void addRatiosAndGoals(Map<String, Object> backends, Double pgTps, Double redisUpdates) {
        for (Object value : backends.values()) {
            Map<String, Object> backend = (Map<String, Object>) value;
            if (backend.get("chat") instanceof Map<?, ?> chat) {
                ratio((Map<String, Object>) chat, pgTps, "pgbench single-row insert tps");
                // A fixed rate below pgbench's can never reach 70% of it: the capacity step's rate is what compares.
                Object capacity = chat.get("capacity");
                Double capacityRate = number(path(capacity, "rate"));
                if (capacity instanceof Map<?, ?> && capacityRate != null && pgTps != null && pgTps > 0) {
                    ((Map<String, Object>) capacity).put("ratio_to_limit", Math.round(capacityRate / pgTps * 1000) / 1000.0);
                }
                Double rate = number(chat.get("rate_achieved"));
                Double p99 = number(path(chat, "latency", "p99_ms"));
                Double r = number(path(capacity, "ratio_to_limit"));
                goal((Map<String, Object>) chat, "5,000 msg/s, p99 < 50 ms, >= 70% of pgbench insert rate",
                        atLeast(chat.get("rate_target"), 5_000),
                        rate != null && rate >= 5_000 * 0.98 && p99 != null && p99 < 50 && r != null && r >= 0.7);
            }
            if (backend.get("presence") instanceof Map<?, ?> presence) {
                ratio((Map<String, Object>) presence, redisUpdates, "Redis presence updates/s (redis-benchmark)");
                Double rate = number(presence.get("rate_achieved"));
                Double p99 = number(path(presence, "latency", "p99_ms"));
                goal((Map<String, Object>) presence, "10,000 updates/s to 5 friends each, p99 < 50 ms",
                        atLeast(presence.get("rate_target"), 10_000) && atLeast(presence.get("friends_each"), 5),
                        rate != null && rate >= 10_000 * 0.98 && p99 != null && p99 < 50);
            }
            if (backend.get("connections") instanceof Map<?, ?> connections) {
                Double perSocket = number(connections.get("heap_per_socket_bytes"));
                Double opened = number(connections.get("opened"));
                goal((Map<String, Object>) connections, "10,000 sockets, <= 25 KiB heap per socket",
                        atLeast(connections.get("sockets_target"), 10_000),
                        opened != null && opened >= 10_000 && perSocket != null && perSocket <= 25 * 1024);
            }
            if (backend.get("rest") instanceof Map<?, ?> rest) {
                Double p99 = number(path(rest, "latency", "p99_ms"));
                goal((Map<String, Object>) rest, "GET /conversations p99 < 10 ms at 1,000 users / 20,000 conversations"
                                + " / 1,000,000 messages",
                        atLeast(path(rest, "dataset", "messages"), 1_000_000), p99 != null && p99 < 10);
            }
        }
    }

    private static void ratio(Map<String, Object> scenario, Double limit, String what) {
        Double rate = number(scenario.get("rate_achieved"));
        if (limit != null && limit > 0 && rate != null) {
            scenario.put("limit", what);
            scenario.put("limit_value", limit);
            scenario.put("ratio_to_limit", Math.round(rate / limit * 1000) / 1000.0);
        }
    }

    private static void goal(Map<String, Object> scenario, String goal, boolean atGoalSize, boolean met) {
        scenario.put("goal", goal);
        scenario.put("goal_met", atGoalSize ? (Object) met : "not measured at this profile's size");
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

    static String oneLine(Map<String, Object> r) {
        if (r.containsKey("error")) {
            return "error: " + r.get("error");
        }
        return String.format(Locale.ROOT, "rate %s/%s, p50 %s ms, p99 %s ms, max %s ms, lost %s, undelivered %s, errors %s",
                fmt(r.get("rate_achieved")), fmt(r.get("rate_target")), fmt(path(r, "latency", "p50_ms")),
                fmt(path(r, "latency", "p99_ms")), fmt(path(r, "latency", "max_ms")), fmt(r.get("lost")),
                fmt(r.getOrDefault("undelivered_after_drain", 0)), fmt(r.get("errors")));
    }

    @SuppressWarnings("unchecked")
    static String markdown(Map<String, Object> report) {
        StringBuilder md = new StringBuilder();
        Map<String, Object> machine = (Map<String, Object>) report.get("machine");
        md.append("### Benchmark ").append(report.get("stamp")).append(" (`").append(report.get("command"))
                .append("`, commit ").append(machine.get("commit")).append(")\n\n");
        md.append(String.format(Locale.ROOT, "Machine: %s cores (%s), %s GiB, Java %s, %s, PostgreSQL %s, Redis %s, "
                        + "open files per process %s, load average at start %s. Server, load generator, PostgreSQL and Redis "
                        + "share the machine.%n%n",
                machine.get("cores"), machine.get("cpu"), machine.get("memory_gib"), machine.get("java"),
                machine.get("os"), machine.get("postgresql"), machine.get("redis"), machine.get("open_files_limit"),
                machine.get("load_average_at_start")));

        Map<String, Object> limits = (Map<String, Object>) report.get("limits");
        md.append("Machine limits (measured first, same run):\n\n| tool | work | figure |\n|---|---|---|\n");
        Object pg = limits.get("pgbench");
        if (path(pg, "error") != null) {
            md.append("| pgbench | message insert | error: ").append(path(pg, "error")).append(" |\n");
        } else {
            md.append(String.format(Locale.ROOT, "| pgbench | %s, %s clients, %s s | %s tps (avg %s ms) |%n",
                    path(pg, "what"), path(pg, "clients"), path(pg, "seconds"), fmt(path(pg, "tps")),
                    fmt(path(pg, "latency_avg_ms"))));
        }
        Object redis = limits.get("redis");
        if (path(redis, "error") != null) {
            md.append("| redis-benchmark | presence commands | error: ").append(path(redis, "error")).append(" |\n");
        } else {
            for (Object step : (List<Object>) path(redis, "steps")) {
                md.append(String.format(Locale.ROOT, "| redis-benchmark | %s (x%s per update) | %s ops/s |%n",
                        path(step, "step"), path(step, "per_update"), fmt(path(step, "ops_per_s"))));
            }
            md.append(String.format(Locale.ROOT, "| redis-benchmark | => presence updates the Redis work allows | %s /s |%n",
                    fmt(path(redis, "presence_updates_per_s"))));
        }

        Map<String, Object> backends = (Map<String, Object>) report.get("backends");
        Object before = report.get("before");
        if (before != null) {
            md.append("\nThis build (after):\n");
        }
        latencyTable(md, backends);
        md.append("\n");
        CpuTables.perItem(md, report);
        if (before != null) {
            md.append("\nBefore: the server jar built from ").append(path(before, "rev"))
                    .append(", each scenario run right before this build's:\n");
            latencyTable(md, (Map<String, Object>) path(before, "backends"));
            md.append("\n");
            CpuTables.beforeAfter(md, report);
        }
        md.append("\n");
        Goals.markdown(md, (List<Map<String, Object>>) report.get("goals"));

        md.append("\n| back end | sockets open | heap / socket | RSS / socket | heap before -> after (GC'd) "
                + "| server open files | connect p99 ms |\n|---|---|---|---|---|---|---|\n");
        Map<String, Object> withReference = new java.util.LinkedHashMap<>(backends);
        if (report.get("reference") instanceof Map<?, ?> reference) {
            reference.forEach((name, c) -> withReference.put("reference: " + name, Map.of("connections", c)));
        }
        withReference.forEach((backend, value) -> {
            Object c = path(value, "connections");
            if (c instanceof Map<?, ?> && path(c, "error") == null) {
                md.append(String.format(Locale.ROOT, "| %s | %s of %s | %s KiB | %s KiB | %s -> %s MiB | %s | %s |%n",
                        backend, fmt(path(c, "opened")), fmt(path(c, "sockets_target")),
                        kib(path(c, "heap_per_socket_bytes")), kib(path(c, "rss_per_socket_bytes")),
                        mib(path(c, "heap_before_bytes")), mib(path(c, "heap_after_bytes")),
                        fmt(path(c, "server_open_files_after")), fmt(path(c, "latency", "p99_ms"))));
            }
        });
        md.append("\nLatency is measured from each message's intended send time (open loop, no coordinated "
                + "omission): chat to every other participant, presence to every friend, connections to the open "
                + "socket, rest to the full answer; chat, presence and rest first run a warm-up at the target rate on the "
                + "same server, whose items are checked for loss like the rest but whose latency is reported on its own "
                + "row. `of limit`: chat's capacity step (and its fixed-rate run) against the pgbench insert rate, presence "
                + "against the Redis work per update.\n");
        List<String> problems = (List<String>) report.get("problems");
        md.append(problems.isEmpty() ? "\nResult: ok, every scenario completed with nothing lost and no errors.\n"
                : "\nResult: FAILED: " + String.join("; ", problems) + "\n");
        return md.toString();
    }

    @SuppressWarnings("unchecked")
    private static void latencyTable(StringBuilder md, Map<String, Object> backends) {
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

    private static String kib(Object bytes) {
        return bytes instanceof Number n ? String.format(Locale.ROOT, "%.1f", n.doubleValue() / 1024) : "";
    }

    private static String mib(Object bytes) {
        return bytes instanceof Number n ? String.format(Locale.ROOT, "%.0f", n.doubleValue() / (1024 * 1024)) : "";
    }
}
