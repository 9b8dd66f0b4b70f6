package io.pagenow.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs one scenario against a started server and judges what came back: a scenario that did not
 * complete, lost anything or drew an error adds to the run's problems. The server's own counters
 * ({@code /metrics}) and its start-up cost go into the result beside the scenario's figures.
 */
final class ScenarioRunner {

    private final Options options;
    /** The store processes whose CPU each window counts, on the PostgreSQL + Redis back end. */
    private final StoreProcesses stores;
    private final List<String> problems;

    ScenarioRunner(Options options, StoreProcesses stores, List<String> problems) {
        this.options = options;
        this.stores = stores;
        this.problems = problems;
    }

    /**
     * One scenario against a fresh server of {@code backend} started under {@code launcher}, for
     * bench/run peers; what went wrong is added to {@code problems}.
     */
    static Map<String, Object> runAlone(Options options, List<String> launcher, String backend, Scenario scenario,
                                        List<String> problems) {
        ServerStarter servers = new ServerStarter(options, launcher);
        ScenarioRunner runner = new ScenarioRunner(options, StoreProcesses.NONE, problems);
        Map<String, Object> result;
        try {
            Files.createDirectories(servers.dir());
            if (backend.equals(BenchRun.POSTGRES_REDIS) && !servers.storesReachable()) {
                throw new IllegalStateException("PostgreSQL or Redis does not answer on loopback");
            }
            try (ServerStarter.Started started = servers.start(backend, options.serverJar(), "", scenario.name(),
                    scenario.population())) {
                if (started.skipped != null) {
                    throw new IllegalStateException(started.skipped);
                }
                result = runner.run(started, scenario);
                started.describe(result);
                result.put("server_pid", started.server.pid());
            }
        } catch (IOException | RuntimeException e) {
            result = new LinkedHashMap<>();
            result.put("error", String.valueOf(e.getMessage()));
            result.put("complete", false);
            problems.add(backend + "/" + scenario.name() + ": " + e.getMessage());
        } finally {
            if (backend.equals(BenchRun.POSTGRES_REDIS)) {
                options.pg().dropDatabase();
            }
        }
        return result;
    }

    Map<String, Object> run(ServerStarter.Started started, Scenario scenario) {
        String label = started.label + started.backend + "/" + scenario.name();
        BenchRun.log(label + ": running");
        Map<String, Object> result;
        try {
            result = scenario.run(new Target(started.server, options.profile(), started.backend,
                    started.backend.equals(BenchRun.POSTGRES_REDIS) ? options.pg() : null,
                    "b" + Long.toString(System.nanoTime() % 1_000_000_000L, 36), stores));
        } catch (Exception e) {
            e.printStackTrace();
            result = new LinkedHashMap<>();
            result.put("error", String.valueOf(e.getMessage()));
            result.put("complete", false);
        }
        judge(label, result);
        result.put("server_first_authenticated_request_ms", started.firstAuthenticatedMillis);
        try {
            String metrics = started.server.get("/metrics").body();
            Map<String, Object> server = new LinkedHashMap<>();
            server.putAll(Metrics.sum(metrics, "pagenow_errors"));
            server.putAll(Metrics.sum(metrics, "pagenow_push_failures"));
            server.putAll(Metrics.sum(metrics, "pagenow_pushes"));
            result.put("server_metrics", server);
        } catch (RuntimeException e) {
            result.put("server_metrics", "unavailable: " + e.getMessage());
        }
        BenchRun.log(label + ": " + Report.oneLine(result));
        // The scenario's HTTP clients are unreachable now; collecting them closes their
        // connections, so no scenario inherits another's sockets.
        System.gc();
        return result;
    }

    private void judge(String label, Map<String, Object> result) {
        if (!Boolean.TRUE.equals(result.get("complete"))) {
            String why = result.containsKey("error") ? " (" + result.get("error") + ")"
                    : result.get("undelivered_after_drain") instanceof Number n && n.longValue() > 0
                    ? " (" + n + " not delivered within the " + result.get("drain_s") + " s drain)" : "";
            problems.add(label + ": did not complete" + why);
        }
        if (result.get("lost") instanceof Number lost && lost.longValue() != 0) {
            problems.add(label + ": " + lost + " lost");
        }
        if (result.get("errors") instanceof Number errors && errors.longValue() != 0) {
            problems.add(label + ": " + errors + " errors " + result.get("errors_by_kind"));
        }
        if (result.get("generator_failed") instanceof Number failed && failed.longValue() != 0) {
            problems.add(label + ": harness fault: the load generator could not open " + failed + " sockets");
        }
    }
}
