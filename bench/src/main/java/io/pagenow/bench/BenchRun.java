package io.pagenow.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
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
    private final Path dir;
    private final Redis redis;
    private final List<String> problems = new ArrayList<>();
    /** PostgreSQL's and Redis's processes, whose CPU every window counts beside the server's. */
    private StoreProcesses stores = StoreProcesses.NONE;
    /** What each server's JVM is started under (bench/run peers pins it to a core). */
    private List<String> launcher = List.of();
    /** The server running now, stopped by the shutdown hook when the run is interrupted. */
    private volatile Started current;

    private BenchRun(Options options) {
        this.options = options;
        this.dir = options.results().resolve(options.stamp());
        this.redis = new Redis(options.redisHost(), options.redisPort());
    }

    static int run(Options options) throws IOException {
        return new BenchRun(options).run();
    }

    private int run() throws IOException {
        Files.createDirectories(dir);
        Thread cleanup = new Thread(this::interrupted, "bench-cleanup");
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

    /** Interrupted (bench/run's trap sends SIGTERM): stop the server, drop what the run made. */
    private void interrupted() {
        Started running = current;
        if (running != null) {
            running.close();
            if (running.backend.equals(POSTGRES_REDIS)) {
                options.pg().dropDatabase();
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

        stores = StoreProcesses.find(options.pg(), redis);
        report.put("store_processes", Map.of("postgres_pid", stores.postgresPid(), "redis_pid", stores.redisPid()));

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

    /**
     * One scenario against a fresh server of {@code backend} started under {@code launcher}, for
     * bench/run peers; what went wrong is added to {@code problems}.
     */
    static Map<String, Object> runAlone(Options options, List<String> launcher, String backend, Scenario scenario,
                                        List<String> problems) {
        BenchRun run = new BenchRun(options);
        run.launcher = launcher;
        Map<String, Object> result;
        try {
            Files.createDirectories(run.dir);
            if (backend.equals(POSTGRES_REDIS) && (!options.pg().reachable() || !run.redis.reachable())) {
                throw new IllegalStateException("PostgreSQL or Redis does not answer on loopback");
            }
            try (Started started = run.start(backend, options.serverJar(), "", scenario.name(), scenario.population())) {
                if (started.skipped != null) {
                    throw new IllegalStateException(started.skipped);
                }
                result = run.runOne(started, scenario);
                started.describe(result);
                result.put("server_pid", started.server.pid());
            }
        } catch (IOException | RuntimeException e) {
            result = new LinkedHashMap<>();
            result.put("error", String.valueOf(e.getMessage()));
            result.put("complete", false);
            run.problems.add(backend + "/" + scenario.name() + ": " + e.getMessage());
        } finally {
            if (backend.equals(POSTGRES_REDIS)) {
                options.pg().dropDatabase();
            }
        }
        problems.addAll(run.problems);
        return result;
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
        Map<String, String> env = Map.of("HOST", "0.0.0.0");
        try (Started started = new Started(JETTY_ECHO, "", ServerProcess.startJettyEcho(env,
                dir.resolve("server-" + JETTY_ECHO + ".log"), options.pidFile()), null)) {
            current = started;
            started.server.awaitReady(Duration.ofSeconds(60));
            return runOne(started, scenario);
        } catch (RuntimeException e) {
            problems.add(JETTY_ECHO + ": " + e.getMessage());
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("error", String.valueOf(e.getMessage()));
            return result;
        }
    }

    private Map<String, Object> runBackend(String backend, Path jar, String label, List<String> names) {
        Map<String, Object> results = new LinkedHashMap<>();
        if (backend.equals(POSTGRES_REDIS) && (!options.pg().reachable() || !redis.reachable())) {
            problems.add(backend + ": PostgreSQL or Redis does not answer on loopback");
            results.put("error", "PostgreSQL or Redis does not answer on loopback (bash .ci/services starts them)");
            return results;
        }
        List<Scenario> scenarios = scenarios(names);
        try {
            if (options.profile().sharedServer()) {
                Population all = Population.merge(scenarios.stream().map(Scenario::population).toList());
                try (Started started = start(backend, jar, label, "all", all)) {
                    if (started.skipped != null) {
                        results.put("skipped", started.skipped);
                        return results;
                    }
                    for (Scenario scenario : scenarios) {
                        results.put(scenario.name(), runOne(started, scenario));
                    }
                    started.describe(results);
                }
            } else {
                for (Scenario scenario : scenarios) {
                    try (Started started = start(backend, jar, label, scenario.name(), scenario.population())) {
                        if (started.skipped != null) {
                            results.put("skipped", started.skipped);
                            return results;
                        }
                        results.put(scenario.name(), runOne(started, scenario));
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

    private Map<String, Object> runOne(Started started, Scenario scenario) {
        String label = started.label + started.backend + "/" + scenario.name();
        log(label + ": running");
        Map<String, Object> result;
        try {
            result = scenario.run(new Target(started.server, options.profile(), started.backend,
                    started.backend.equals(POSTGRES_REDIS) ? options.pg() : null,
                    "b" + Long.toString(System.nanoTime() % 1_000_000_000L, 36), stores));
        } catch (Exception e) {
            e.printStackTrace();
            result = new LinkedHashMap<>();
            result.put("error", String.valueOf(e.getMessage()));
            result.put("complete", false);
        }
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
        log(label + ": " + Report.oneLine(result));
        // The scenario's HTTP clients are unreachable now; collecting them closes their
        // connections, so no scenario inherits another's sockets.
        System.gc();
        return result;
    }

    /** A server started for one back end, and what must be cleaned up after it. */
    private final class Started implements AutoCloseable {
        final String backend;
        /** "" for this build's server, {@link #BEFORE} for the base jar's */
        final String label;
        final ServerProcess server;
        final String redisPrefix;
        String skipped;
        long firstAuthenticatedMillis = -1;

        Started(String backend, String label, ServerProcess server, String redisPrefix) {
            this.backend = backend;
            this.label = label;
            this.server = server;
            this.redisPrefix = redisPrefix;
        }

        /** Which stores the server really used: the PostgreSQL and Redis parts are checked, not assumed. */
        void describe(Map<String, Object> results) {
            if (redisPrefix != null) {
                long keys = redis.countKeys(redisPrefix);
                results.put("redis_keys_under_prefix", keys);
                if (keys == 0) {
                    results.put("redis_note", "the server wrote no key under REDIS_KEY_PREFIX: "
                            + "its REDIS_URL wiring is not in this build, so live state stayed in memory");
                }
            }
        }

        @Override
        public void close() {
            current = null;
            server.close();
            if (redisPrefix != null) {
                redis.deleteKeys(redisPrefix);
            }
        }
    }

    private Started start(String backend, Path jar, String jarLabel, String scenarioLabel, Population population) {
        String label = jarLabel + scenarioLabel;
        Map<String, String> env = new HashMap<>();
        // Every interface, so the load generator can spread its sockets over 127.0.0.1..N
        // (development mode would bind 127.0.0.1 alone). Nothing but this machine talks to it.
        env.put("HOST", "0.0.0.0");
        // Flood control still runs on every frame, but wide: the scenarios stay far below the
        // default per socket (20 frames/s), yet an overloaded server handles a socket's backlog in
        // a burst, and refusing that with 429 would hide how far behind it fell.
        env.put("FLOOD_BURST", "100000");
        env.put("FLOOD_REFILL_PER_SECOND", "1000");
        // The per-user limits (frames over all of a user's sockets follow the two above; REST
        // requests) likewise: the load generator's few users stand for many people each.
        env.put("REST_RATE_BURST", "100000");
        env.put("REST_RATE_PER_SECOND", "100000");
        String redisPrefix = null;
        Path seed = dir.resolve("seed-" + backend + "-" + label + ".json");
        try {
            Files.writeString(seed, population.seedJson());
        } catch (IOException e) {
            throw new IllegalStateException("could not write the seed file", e);
        }
        if (backend.equals(POSTGRES_REDIS)) {
            Psql pg = options.pg();
            pg.recreateDatabase();
            env.put("DATABASE_URL", pg.jdbcUrl());
            env.put("DATABASE_USER", pg.user());
            env.put("DATABASE_PASSWORD", pg.password());
            env.put("DATABASE_POOL_SIZE", String.valueOf(options.profile().dbClients()));
            redisPrefix = "pagenow-bench:" + options.stamp() + ":" + label + ":";
            env.put("REDIS_URL", redis.url());
            env.put("REDIS_KEY_PREFIX", redisPrefix);
        } else {
            env.put("SEED_FILE", seed.toAbsolutePath().toString());
        }
        List<String> jvm = new ArrayList<>(List.of("-Xms1g", "-Xmx3g", "-XX:+UseG1GC"));
        if (options.jfr()) {
            jvm.add("-XX:StartFlightRecording=settings=profile,dumponexit=true,filename="
                    + dir.resolve("server-" + backend + "-" + label + ".jfr").toAbsolutePath());
        }
        log(backend + "/" + label + ": starting the server");
        ServerProcess server = ServerProcess.start(launcher, jar, env, jvm,
                dir.resolve("server-" + backend + "-" + label + ".log"), options.pidFile());
        Started started = new Started(backend, jarLabel, server, redisPrefix);
        current = started;
        try {
            server.awaitReady(Duration.ofSeconds(120));
            if (backend.equals(POSTGRES_REDIS)) {
                String migrated = options.pg().sql("SELECT to_regclass('public.user_table') IS NOT NULL "
                        + "AND to_regclass('public.message_table') IS NOT NULL;");
                if (!migrated.equals("t")) {
                    started.skipped = "the server did not migrate the database named by DATABASE_URL: its "
                            + "PostgreSQL wiring is not in this build, so the PostgreSQL + Redis part was not run";
                    log(backend + ": " + started.skipped);
                    return started;
                }
                options.pg().sql(population.sql());
            }
            // Only once the users and friendships are in: the server keeps what it read of the
            // social graph for SOCIAL_GRAPH_CACHE_SECONDS, so a request before the insert made the
            // first user's friends read as none for that long, and its first updates reached no friend.
            started.firstAuthenticatedMillis = firstAuthenticatedRequest(server, population);
            return started;
        } catch (RuntimeException e) {
            started.close();
            throw e;
        }
    }

    /**
     * One authenticated request before any measurement: the first one pays for loading the
     * token, REST and store paths, a start-up cost, not the steady state the scenarios measure.
     * Its time is reported.
     */
    private static long firstAuthenticatedRequest(ServerProcess server, Population population) {
        String user = population.users().get(0);
        long start = System.nanoTime();
        try (Wire wire = new Wire(server.port(), 1, 1, 1)) {
            String token = wire.tokens(List.of(user), 1).get(user);
            Wire.expect(wire.get("/presence", token).join(), 200, "GET /presence");
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    static void log(String line) {
        System.out.println("[bench " + java.time.LocalTime.now().withNano(0) + "] " + line);
        System.out.flush();
    }
}
