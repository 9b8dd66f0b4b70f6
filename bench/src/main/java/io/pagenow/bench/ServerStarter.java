package io.pagenow.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Starts the server a scenario runs against, on the back end's stores: a fresh database and its
 * own Redis key prefix (PostgreSQL + Redis) or a seed file (embedded), its users inserted, one
 * authenticated request made; and stops it, deleting what it left in Redis. Knows the server
 * running now, so an interrupted run stops it too.
 */
final class ServerStarter {

    /**
     * What every server the bench starts runs with. HOST: every interface, so the load generator
     * can spread its sockets over 127.0.0.1..N (development mode would bind 127.0.0.1 alone);
     * nothing but this machine talks to it. Flood control still runs on every frame, but wide:
     * the scenarios stay far below the default per socket (20 frames/s), yet an overloaded server
     * handles a socket's backlog in a burst, and refusing that with 429 would hide how far behind
     * it fell. The per-user limits (frames over all of a user's sockets follow the flood ones; REST
     * requests) likewise: the load generator's few users stand for many people each.
     */
    private static final Map<String, String> SERVER_SETTINGS = Map.of(
            "HOST", "0.0.0.0",
            "FLOOD_BURST", "100000",
            "FLOOD_REFILL_PER_SECOND", "1000",
            "REST_RATE_BURST", "100000",
            "REST_RATE_PER_SECOND", "100000");

    private final Options options;
    private final Path dir;
    private final Redis redis;
    /** What each server's JVM is started under (bench/run peers pins it to a core). */
    private final List<String> launcher;
    /** The server running now, stopped by {@link #stopRunning} when the run is interrupted. */
    private volatile Started running;

    ServerStarter(Options options, List<String> launcher) {
        this.options = options;
        this.dir = options.results().resolve(options.stamp());
        this.redis = new Redis(options.redisHost(), options.redisPort());
        this.launcher = launcher;
    }

    /** The run's directory: server logs, seed files, JFR recordings. */
    Path dir() {
        return dir;
    }

    /** Whether PostgreSQL and Redis answer, which the PostgreSQL + Redis back end needs. */
    boolean storesReachable() {
        return options.pg().reachable() && redis.reachable();
    }

    /** Interrupted (bench/run's trap sends SIGTERM): stop the server, drop what the run made. */
    void stopRunning() {
        Started server = running;
        if (server != null) {
            server.close();
            if (server.backend.equals(BenchRun.POSTGRES_REDIS)) {
                options.pg().dropDatabase();
            }
        }
    }

    /** A server started for one back end, and what must be cleaned up after it. */
    final class Started implements AutoCloseable {
        final String backend;
        /** "" for this build's server, the base's label for the base jar's */
        final String label;
        final ServerProcess server;
        /** Its REDIS_KEY_PREFIX; null where it has no Redis */
        private final String redisPrefix;
        /** Why the scenario cannot run on it; null when it can */
        String skipped;
        long firstAuthenticatedMillis = -1;

        private Started(String backend, String label, ServerProcess server, String redisPrefix) {
            this.backend = backend;
            this.label = label;
            this.server = server;
            this.redisPrefix = redisPrefix;
            running = this;
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
            running = null;
            server.close();
            if (redisPrefix != null) {
                redis.deleteKeys(redisPrefix);
            }
        }
    }

    /**
     * The bare Jetty echo server, the connect storm's reference: what Jetty, the JVM and this
     * machine allow with none of our code.
     */
    Started startJettyEcho() {
        Started started = new Started(BenchRun.JETTY_ECHO, "", ServerProcess.startJettyEcho(Map.of("HOST", "0.0.0.0"),
                dir.resolve("server-" + BenchRun.JETTY_ECHO + ".log"), options.pidFile()), null);
        try {
            started.server.awaitReady(Duration.ofSeconds(60));
            return started;
        } catch (RuntimeException e) {
            started.close();
            throw e;
        }
    }

    /**
     * A server of {@code jar} on {@code backend} holding {@code population}; {@code jarLabel} tells
     * the base jar's servers apart, {@code scenarioLabel} names its files.
     */
    Started start(String backend, Path jar, String jarLabel, String scenarioLabel, Population population) {
        String label = jarLabel + scenarioLabel;
        Map<String, String> env = new HashMap<>(SERVER_SETTINGS);
        String redisPrefix = null;
        Path seed = dir.resolve("seed-" + backend + "-" + label + ".json");
        try {
            Files.writeString(seed, population.seedJson());
        } catch (IOException e) {
            throw new IllegalStateException("could not write the seed file", e);
        }
        if (backend.equals(BenchRun.POSTGRES_REDIS)) {
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
        BenchRun.log(backend + "/" + label + ": starting the server");
        ServerProcess server = ServerProcess.start(launcher, jar, env, jvm,
                dir.resolve("server-" + backend + "-" + label + ".log"), options.pidFile());
        Started started = new Started(backend, jarLabel, server, redisPrefix);
        try {
            server.awaitReady(Duration.ofSeconds(120));
            if (backend.equals(BenchRun.POSTGRES_REDIS)) {
                String migrated = options.pg().sql("SELECT to_regclass('public.user_table') IS NOT NULL "
                        + "AND to_regclass('public.message_table') IS NOT NULL;");
                if (!migrated.equals("t")) {
                    started.skipped = "the server did not migrate the database named by DATABASE_URL: its "
                            + "PostgreSQL wiring is not in this build, so the PostgreSQL + Redis part was not run";
                    BenchRun.log(backend + ": " + started.skipped);
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
}
