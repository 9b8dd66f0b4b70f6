package io.pagenow.bench;

import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static io.pagenow.bench.Figures.fmt;
import static io.pagenow.bench.Figures.kib;
import static io.pagenow.bench.Figures.mib;
import static io.pagenow.bench.Figures.path;

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
        LatencyTable.append(md, backends);
        md.append("\n");
        CpuTables.perItem(md, report);
        if (before != null) {
            md.append("\nBefore: the server jar built from ").append(path(before, "rev"))
                    .append(", each scenario run right before this build's:\n");
            LatencyTable.append(md, (Map<String, Object>) path(before, "backends"));
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
}
