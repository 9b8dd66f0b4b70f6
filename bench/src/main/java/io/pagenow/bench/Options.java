package io.pagenow.bench;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code bench/run} passes to the runner.
 *
 * @param profile    sizes and rates ({@link Profile})
 * @param serverJar  the server's runnable jar
 * @param results    where the JSON, the Markdown table and the server logs go
 * @param stamp      the run's name (a UTC timestamp)
 * @param pidFile    the runner lists each server process it starts here, so the shell's trap
 *                   can stop them even when this JVM dies
 * @param backends   which server set-ups to run: {@code embedded}, {@code postgres-redis}
 * @param scenarios  which scenarios to run, in this order
 * @param jfr        record a JFR profile of each server process into the results directory
 * @param pg         how to reach PostgreSQL (libpq environment), and the run's own database:
 *                   {@code pagenow_bench_<stamp>} unless {@code --database} names one, so two runs
 *                   on one machine never drop each other's
 * @param redisHost  Redis on loopback
 * @param redisPort  Redis port
 * @param baseJar    the server jar built from another commit (bench/run --base=REV), run scenario by
 *                   scenario beside {@code serverJar} for a before/after in one run; null: none
 * @param baseRev    that commit, as the report names it
 */
record Options(Profile profile, Path serverJar, Path results, String stamp, Path pidFile,
               List<String> backends, List<String> scenarios, boolean jfr, Psql pg,
               String redisHost, int redisPort, Path baseJar, String baseRev) {

    static final List<String> ALL_SCENARIOS = List.of("connections", "chat", "presence", "rest");
    static final List<String> ALL_BACKENDS = List.of("embedded", "postgres-redis");

    static Options parse(String[] args) {
        Map<String, String> given = new HashMap<>();
        for (String arg : args) {
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument: " + arg);
            }
            int eq = arg.indexOf('=');
            given.put(eq < 0 ? arg.substring(2) : arg.substring(2, eq), eq < 0 ? "true" : arg.substring(eq + 1));
        }
        Map<String, String> env = System.getenv();
        Profile profile = Profile.named(given.getOrDefault("profile", "quick"));
        Path serverJar = Path.of(given.getOrDefault("server-jar", "adapter-javalin/target/pagenow-server.jar"));
        Path results = Path.of(given.getOrDefault("results", "bench/results"));
        String stamp = given.getOrDefault("stamp", java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
                .withZone(java.time.ZoneOffset.UTC).format(java.time.Instant.now()));
        Path pidFile = given.containsKey("pid-file") ? Path.of(given.get("pid-file")) : null;
        List<String> backends = list(given.getOrDefault("backends", String.join(",", ALL_BACKENDS)), ALL_BACKENDS);
        List<String> scenarios = list(given.getOrDefault("scenarios", String.join(",", ALL_SCENARIOS)), ALL_SCENARIOS);
        Psql pg = Psql.fromEnvironment(env,
                given.getOrDefault("database", "pagenow_bench_" + stamp.toLowerCase(java.util.Locale.ROOT)));
        return new Options(profile, serverJar, results, stamp, pidFile, backends, scenarios,
                Boolean.parseBoolean(given.getOrDefault("jfr", "false")), pg,
                env.getOrDefault("REDIS_HOST", "127.0.0.1"), Integer.parseInt(env.getOrDefault("REDIS_PORT", "6379")),
                given.containsKey("base-jar") ? Path.of(given.get("base-jar")) : null,
                given.getOrDefault("base-rev", given.containsKey("base-jar") ? given.get("base-jar") : null));
    }

    private static List<String> list(String value, List<String> allowed) {
        List<String> items = Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        for (String item : items) {
            if (!allowed.contains(item)) {
                throw new IllegalArgumentException("unknown '" + item + "', expected one of " + allowed);
            }
        }
        return items;
    }
}
