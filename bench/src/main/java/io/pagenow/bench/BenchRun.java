package io.pagenow.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One benchmark run: the machine's limits, then every scenario against every back end, each
 * against a server process this runner starts and stops itself; then the JSON and the Markdown
 * table. Exits non-zero when anything was lost, refused, or did not complete.
 */
final class BenchRun {

    static final String EMBEDDED = "embedded";
    static final String POSTGRES_REDIS = "postgres-redis";
    /** The connect storm's reference: a bare Jetty WebSocket server, run beside the back ends. */
    static final String JETTY_ECHO = "jetty-echo";
    /** The label of the servers started from the base jar (bench/run --base=REV). */
    private static final String BEFORE = "before-";

    private final Options options;
    private final Redis redis;
    private final ServerStarter servers;
    private final List<String> problems = new ArrayList<>();
    /** Set once the store processes are found, before the first scenario. */
    private ScenarioRunner runner;

    private BenchRun(Options options) {
        this.options = options;
        this.redis = new Redis(options.redisHost(), options.redisPort());
        this.servers = new ServerStarter(options, List.of());
    }

    static int run(Options options) throws IOException {
        return new BenchRun(options).run();
    }

    private int run() throws IOException {
        Files.createDirectories(servers.dir());
        Thread cleanup = new Thread(servers::stopRunning, "bench-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        try {
            return measureAll();
        } finally {
            Runtime.getRuntime().removeShutdownHook(cleanup);
            // The run's own database (pgbench made it even when no back end used PostgreSQL).
            try {
                options.pg().dropDatabase();
            } catch (RuntimeException e) {
                System.err.println("could not drop the benchmark database: " + e.getMessage());
            }
        }
    }

    private int measureAll() throws IOException {
        Profile profile = options.profile();
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("stamp", options.stamp());
        report.put("command", "bench/run " + profile.name());
        report.put("machine", Machine.describe(options.pg(), redis));
        report.put("profile", profile.describe());

        log("machine limits: pgbench and redis-benchmark");
        Map<String, Object> limits = Limits.measure(profile, options.pg(), redis);
        limits.forEach((tool, figures) -> {
            if (figures instanceof Map<?, ?> m && m.containsKey("error")) {
                problems.add("limits: " + tool + ": " + m.get("error"));
            }
        });
        report.put("limits", limits);

        StoreProcesses stores = StoreProcesses.find(options.pg(), redis);
        report.put("store_processes", Map.of("postgres_pid", stores.postgresPid(), "redis_pid", stores.redisPid()));
        runner = new ScenarioRunner(options, stores, problems);

        Map<String, Object> backends = new LinkedHashMap<>();
        Map<String, Object> before = new LinkedHashMap<>();
        for (String backend : options.backends()) {
            if (options.baseJar() == null) {
                backends.put(backend, runBackend(backend, options.serverJar(), "", options.scenarios()));
            } else {
                runBeforeAndAfter(backend, before, backends);
            }
        }
        report.put("backends", backends);
        if (options.baseJar() != null) {
            report.put("before", Map.of("rev", options.baseRev(), "jar", options.baseJar().toString(),
                    "backends", before));
        }
        if (options.scenarios().contains("connections")) {
            report.put("reference", Map.of(JETTY_ECHO, runJettyEcho()));
        }
        RatiosAndGoals.add(report);
        report.put("problems", problems);
        report.put("ok", problems.isEmpty());
        Path[] written = Report.write(options.results(), options.stamp(), report);
        System.out.println();
        System.out.println(Files.readString(written[1]));
        log("results: " + written[0] + " and " + written[1]);
        if (!problems.isEmpty()) {
            log("FAILED: " + String.join("; ", problems));
            return 1;
        }
        log("ok: every scenario completed, nothing lost, no errors");
        return 0;
    }

    private List<Scenario> scenarios(List<String> names) {
        List<Scenario> scenarios = new ArrayList<>();
        for (String name : names) {
            scenarios.add(switch (name) {
                case "connections" -> new ConnectionsScenario(options.profile());
                case "chat" -> new ChatScenario(options.profile());
                case "presence" -> new PresenceScenario(options.profile());
                case "rest" -> new RestScenario(options.profile());
                default -> throw new IllegalArgumentException(name);
            });
        }
        return scenarios;
    }

    /**
     * Before (the base jar) and after (this build's jar), scenario by scenario, one right after the
     * other: whatever else loads the machine drifts over minutes, so the two halves of a pair see
     * about the same. With one shared server per back end (ci), one whole pass each.
     */
    private void runBeforeAndAfter(String backend, Map<String, Object> before, Map<String, Object> after) {
        if (options.profile().sharedServer()) {
            before.put(backend, runBackend(backend, options.baseJar(), BEFORE, options.scenarios()));
            after.put(backend, runBackend(backend, options.serverJar(), "", options.scenarios()));
            return;
        }
        Map<String, Object> was = new LinkedHashMap<>();
        Map<String, Object> is = new LinkedHashMap<>();
        for (String name : options.scenarios()) {
            was.putAll(runBackend(backend, options.baseJar(), BEFORE, List.of(name)));
            is.putAll(runBackend(backend, options.serverJar(), "", List.of(name)));
        }
        before.put(backend, was);
        after.put(backend, is);
    }

    /**
     * The connections scenario against the bare Jetty echo server: what Jetty, the JVM and this
     * machine allow for a connect storm with none of our code, measured the same way.
     */
    private Map<String, Object> runJettyEcho() {
        Scenario scenario = new ConnectionsScenario(options.profile());
        log(JETTY_ECHO + ": starting the bare Jetty WebSocket server");
        try (ServerStarter.Started started = servers.startJettyEcho()) {
            return runner.run(started, scenario);
        } catch (RuntimeException e) {
            problems.add(JETTY_ECHO + ": " + e.getMessage());
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("error", String.valueOf(e.getMessage()));
            return result;
        }
    }

    private Map<String, Object> runBackend(String backend, Path jar, String label, List<String> names) {
        Map<String, Object> results = new LinkedHashMap<>();
        if (backend.equals(POSTGRES_REDIS) && !servers.storesReachable()) {
            problems.add(backend + ": PostgreSQL or Redis does not answer on loopback");
            results.put("error", "PostgreSQL or Redis does not answer on loopback (bash .ci/services starts them)");
            return results;
        }
        List<Scenario> scenarios = scenarios(names);
        try {
            if (options.profile().sharedServer()) {
                Population all = Population.merge(scenarios.stream().map(Scenario::population).toList());
                try (ServerStarter.Started started = servers.start(backend, jar, label, "all", all)) {
                    if (started.skipped != null) {
                        results.put("skipped", started.skipped);
                        return results;
                    }
                    for (Scenario scenario : scenarios) {
                        results.put(scenario.name(), runner.run(started, scenario));
                    }
                    started.describe(results);
                }
            } else {
                for (Scenario scenario : scenarios) {
                    try (ServerStarter.Started started = servers.start(backend, jar, label, scenario.name(),
                            scenario.population())) {
                        if (started.skipped != null) {
                            results.put("skipped", started.skipped);
                            return results;
                        }
                        results.put(scenario.name(), runner.run(started, scenario));
                        started.describe(results);
                    }
                }
            }
        } catch (RuntimeException e) {
            problems.add(backend + ": " + e.getMessage());
            results.put("error", String.valueOf(e.getMessage()));
        } finally {
            if (backend.equals(POSTGRES_REDIS)) {
                try {
                    options.pg().dropDatabase();
                } catch (RuntimeException e) {
                    System.err.println("could not drop the benchmark database: " + e.getMessage());
                }
            }
        }
        return results;
    }

    static void log(String line) {
        System.out.println("[bench " + java.time.LocalTime.now().withNano(0) + "] " + line);
        System.out.flush();
    }
}
