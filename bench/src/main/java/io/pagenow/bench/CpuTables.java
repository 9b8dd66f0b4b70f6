package io.pagenow.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static io.pagenow.bench.Figures.fmt;
import static io.pagenow.bench.Figures.number;
import static io.pagenow.bench.Figures.path;

/**
 * Issue 17's headline: CPU time per item of the server, PostgreSQL, Redis and the load generator,
 * from /proc over each scenario's window, and the same before and after when the run has a base.
 */
final class CpuTables {

    /** One measured window: where it sits in the JSON and what its items are. */
    record Window(String backend, String scenario, String items, Map<String, Object> result, Object cpu) {
    }

    private CpuTables() {
    }

    /** Every window with per-item figures, in the order of the latency table. */
    @SuppressWarnings("unchecked")
    static List<Window> windows(Map<String, Object> backends) {
        List<Window> windows = new ArrayList<>();
        if (backends == null) {
            return windows;
        }
        backends.forEach((backend, value) -> {
            if (!(value instanceof Map<?, ?> scenarios)) {
                return;
            }
            ((Map<String, Object>) scenarios).forEach((name, r) -> {
                if (!(r instanceof Map<?, ?> result)) {
                    return;
                }
                Map<String, Object> m = (Map<String, Object>) result;
                switch (name) {
                    case "chat" -> {
                        windows.add(new Window(backend, "chat", "message stored and delivered", m, m.get("cpu")));
                        if (path(m, "capacity", "cpu") != null) {
                            windows.add(new Window(backend, "chat: capacity", "message stored and delivered", m,
                                    path(m, "capacity", "cpu")));
                        }
                    }
                    case "presence" -> windows.add(new Window(backend, "presence",
                            "update fanned out to " + fmt(m.get("friends_each")) + " friends", m, m.get("cpu")));
                    case "rest" -> {
                        windows.add(new Window(backend, "rest", "REST answer", m, m.get("cpu")));
                        if (path(m, "capacity", "cpu") != null) {
                            windows.add(new Window(backend, "rest: capacity", "GET /conversations answer", m,
                                    path(m, "capacity", "cpu")));
                        }
                    }
                    case "connections" -> windows.add(new Window(backend, "connections", "connect", m,
                            m.get("cpu_connect")));
                    default -> {
                    }
                }
            });
        });
        return windows;
    }

    @SuppressWarnings("unchecked")
    static void perItem(StringBuilder md, Map<String, Object> report) {
        List<Window> windows = windows((Map<String, Object>) report.get("backends"));
        if (report.get("reference") instanceof Map<?, ?> reference) {
            Map<String, Object> asBackends = new LinkedHashMap<>();
            reference.forEach((name, c) -> asBackends.put("reference: " + name, Map.of("connections", c)));
            windows.addAll(windows(asBackends));
        }
        md.append("CPU per item (µs of process CPU, user + system from /proc, over the scenario's whole window "
                + "including its warm-up, divided by the items completed in it; PostgreSQL: the postmaster and every "
                + "backend; both stores are shared with anything else using them meanwhile):\n\n");
        md.append("| back end | scenario | per | items | server µs | PostgreSQL µs | Redis µs | load generator µs "
                + "| cores: server / PostgreSQL / Redis / loadgen | waiting for a core, s: server / loadgen | load average |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Window w : windows) {
            Object cpu = w.cpu();
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s | %s / %s / %s / %s | %s / %s | %s |%n",
                    w.backend(), w.scenario(), w.items(), fmt(path(cpu, "items")),
                    fmt(path(cpu, "us_per_item", "server")), fmt(path(cpu, "us_per_item", "postgres")),
                    fmt(path(cpu, "us_per_item", "redis")), fmt(path(cpu, "us_per_item", "loadgen")),
                    fmt(path(cpu, "server_cores")), fmt(path(cpu, "postgres_cores")), fmt(path(cpu, "redis_cores")),
                    fmt(path(cpu, "loadgen_cores")), fmt(path(cpu, "runqueue_wait_s", "server")),
                    fmt(path(cpu, "runqueue_wait_s", "loadgen")), fmt(path(cpu, "load_average"))));
        }
    }

    private static Object p99(Map<String, Object> result, boolean capacity) {
        return capacity ? path(result, "capacity", "latency", "p99_ms") : path(result, "latency", "p99_ms");
    }

    /** After / before of the server's CPU per item; null when either is missing. */
    static Double serverRatio(Object beforeCpu, Object afterCpu) {
        Double before = number(path(beforeCpu, "us_per_item", "server"));
        Double after = number(path(afterCpu, "us_per_item", "server"));
        return before == null || after == null || before == 0 ? null : Math.round(after / before * 100) / 100.0;
    }

    @SuppressWarnings("unchecked")
    static void beforeAfter(StringBuilder md, Map<String, Object> report) {
        List<Window> after = windows((Map<String, Object>) report.get("backends"));
        List<Window> before = windows((Map<String, Object>) path(report, "before", "backends"));
        md.append("Before -> after (same run; ratio: after / before, so 0.5 is the server's CPU per item halved):\n\n");
        md.append("| back end | scenario | achieved /s | p99 ms | server µs / item | server ratio | PostgreSQL µs | Redis µs "
                + "| load average |\n|---|---|---|---|---|---|---|---|---|\n");
        for (Window a : after) {
            Window b = before.stream().filter(w -> w.backend().equals(a.backend()) && w.scenario().equals(a.scenario()))
                    .findFirst().orElse(null);
            if (b == null) {
                continue;
            }
            boolean capacity = a.scenario().endsWith("capacity");
            md.append(String.format(Locale.ROOT, "| %s | %s | %s -> %s | %s -> %s | %s -> %s | %s | %s -> %s | %s -> %s | %s, %s |%n",
                    a.backend(), a.scenario(),
                    fmt(capacity ? path(b.result(), "capacity", "rate") : b.result().get("rate_achieved")),
                    fmt(capacity ? path(a.result(), "capacity", "rate") : a.result().get("rate_achieved")),
                    fmt(p99(b.result(), capacity)), fmt(p99(a.result(), capacity)),
                    fmt(path(b.cpu(), "us_per_item", "server")), fmt(path(a.cpu(), "us_per_item", "server")),
                    fmt(serverRatio(b.cpu(), a.cpu())),
                    fmt(path(b.cpu(), "us_per_item", "postgres")), fmt(path(a.cpu(), "us_per_item", "postgres")),
                    fmt(path(b.cpu(), "us_per_item", "redis")), fmt(path(a.cpu(), "us_per_item", "redis")),
                    fmt(path(b.cpu(), "load_average")), fmt(path(a.cpu(), "load_average"))));
        }
    }
}
