package io.pagenow.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What this machine's stores can do for the same work, measured with their own tools just
 * before the scenarios: {@code pgbench} inserting one message row per transaction, and
 * {@code redis-benchmark} running the commands one presence update costs. The scenarios'
 * throughput is printed as a ratio of these.
 */
final class Limits {

    static final String PGBENCH_SCHEMA = "bench_pgbench";
    static final String REDIS_PREFIX = "pagenow-bench:limits:";
    private static final Pattern TPS = Pattern.compile("tps = ([0-9.]+) \\(without initial connection time\\)");
    private static final Pattern LATENCY = Pattern.compile("latency average = ([0-9.]+) ms");

    /**
     * One message row per transaction, into a table shaped like the server's message table (same
     * keys: the primary key, unique (conversation, seq), unique (sender, temp id)), in the
     * benchmark's own schema.
     */
    static final String PGBENCH_TABLE = """
            DROP SCHEMA IF EXISTS bench_pgbench CASCADE;
            CREATE SCHEMA bench_pgbench;
            CREATE TABLE bench_pgbench.message (
                message_id uuid PRIMARY KEY,
                conversation_id uuid NOT NULL,
                seq bigint NOT NULL,
                sender_id varchar(50) NOT NULL,
                temp_message_id varchar(128) NOT NULL,
                content varchar(1000) NOT NULL,
                sent_at timestamptz NOT NULL,
                UNIQUE (conversation_id, seq),
                UNIQUE (sender_id, temp_message_id));
            CREATE SEQUENCE bench_pgbench.seq;
            """;

    static final String PGBENCH_SCRIPT = """
            \\set c random(1, 1000)
            INSERT INTO bench_pgbench.message (message_id, conversation_id, seq, sender_id, temp_message_id, content, sent_at) VALUES (gen_random_uuid(), ('00000000-0000-0000-0000-' || lpad(:c::text, 12, '0'))::uuid, nextval('bench_pgbench.seq'), 'user' || :c, 't' || :client_id || '-' || random(), '#1 lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incid', now());
            """;

    /**
     * The Redis work of one presence update as the {@code adapter-redis} module does it, as
     * redis-benchmark commands: one script (its {@code UPDATE} script, run here with EVALSHA) that
     * writes the user's page and last-seen time and reads the presence connections of the user and
     * each friend.
     *
     * @param pipeline how many of these commands go out in one round trip
     */
    record RedisStep(String name, int perUpdate, int pipeline, List<String> command) {
    }

    /** The adapter's presence UPDATE script (RedisPresenceStore.UPDATE): the same file, from the adapter's jar. */
    static final String UPDATE_SCRIPT = resource("/io/pagenow/redis/presence-update.lua");

    static final int REDIS_USERS = 10_000;

    /** Fills the connection hashes the fan-out step reads, so it reads real ones. */
    static List<String> connectionsSetup() {
        return List.of("HSET", REDIS_PREFIX + "conns:presence:__rand_int__", "conn-__rand_int__", "node-1");
    }

    /** @param updateSha the SHA1 of {@link #UPDATE_SCRIPT} loaded in Redis: the adapter runs it with EVALSHA too */
    static List<RedisStep> presenceSteps(int friends, String updateSha) {
        String url = "https://s1.example.com/p/123456";
        List<String> command = new ArrayList<>(List.of("EVALSHA", updateSha, String.valueOf(2 + friends + 1),
                REDIS_PREFIX + "presence:live", REDIS_PREFIX + "presence:user:__rand_int__"));
        for (int i = 0; i <= friends; i++) {
            command.add(REDIS_PREFIX + "conns:presence:__rand_int__");
        }
        command.addAll(List.of("__rand_int__", "1763900000000", "0", url, "t123456", "example.com", "1", url, "t123456",
                "example.com"));
        return List.of(new RedisStep("presence write and fan-out lookup: EVALSHA of the adapter's UPDATE script over "
                + (friends + 1) + " users' connections", 1, 1, command));
    }

    private Limits() {
    }

    private static String resource(String path) {
        try (InputStream in = Limits.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException(path + " is missing from the class path: it comes with adapter-redis, a dependency of bench");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Map<String, Object> measure(Profile profile, Psql pg, Redis redis) {
        Map<String, Object> limits = new LinkedHashMap<>();
        try {
            limits.put("pgbench", pgbench(profile, pg));
        } catch (RuntimeException e) {
            limits.put("pgbench", Map.of("error", String.valueOf(e.getMessage())));
        }
        try {
            limits.put("redis", redisBenchmark(profile, redis));
        } catch (RuntimeException e) {
            limits.put("redis", Map.of("error", String.valueOf(e.getMessage())));
        }
        return limits;
    }

    static Map<String, Object> pgbench(Profile profile, Psql pg) {
        pg.ensureDatabase();
        Path script = null;
        try {
            pg.sql(PGBENCH_TABLE);
            script = Files.createTempFile("bench-insert", ".sql");
            Files.writeString(script, PGBENCH_SCRIPT);
            List<String> command = List.of("pgbench", "-h", pg.host(), "-p", String.valueOf(pg.port()), "-U", pg.user(),
                    "-n", "-M", "prepared", "-c", String.valueOf(profile.dbClients()), "-j", "2",
                    "-T", String.valueOf(profile.pgbenchSeconds()), "-f", script.toString(), pg.database());
            Command.Output out = Command.run(command, pg.env(), null, Duration.ofSeconds(profile.pgbenchSeconds() + 120));
            String text = out.orFail(command);
            Matcher tps = TPS.matcher(text);
            if (!tps.find()) {
                throw new IllegalStateException("no tps figure in pgbench's output");
            }
            Matcher latency = LATENCY.matcher(text);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("what", "INSERT one message row per transaction (pgbench -M prepared)");
            m.put("clients", profile.dbClients());
            m.put("seconds", profile.pgbenchSeconds());
            m.put("tps", Double.parseDouble(tps.group(1)));
            m.put("latency_avg_ms", latency.find() ? Double.parseDouble(latency.group(1)) : null);
            m.put("rows", Long.parseLong(pg.sql("SELECT count(*) FROM bench_pgbench.message;")));
            return m;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            try {
                pg.sql("DROP SCHEMA IF EXISTS bench_pgbench CASCADE;");
            } catch (RuntimeException e) {
                System.err.println("could not drop the pgbench schema: " + e.getMessage());
            }
            if (script != null) {
                script.toFile().delete();
            }
        }
    }

    static Map<String, Object> redisBenchmark(Profile profile, Redis redis) {
        List<RedisStep> steps = presenceSteps(profile.friends(), redis.cli("SCRIPT", "LOAD", UPDATE_SCRIPT));
        Map<String, Object> m = new LinkedHashMap<>();
        List<Map<String, Object>> measured = new ArrayList<>();
        double secondsPerUpdate = 0;
        try {
            redisBenchmark(profile, redis, 3 * REDIS_USERS, 1, connectionsSetup());
            for (RedisStep step : steps) {
                double rps = redisBenchmark(profile, redis, profile.redisRequests(), step.pipeline(), step.command());
                secondsPerUpdate += step.perUpdate() / rps;
                Map<String, Object> s = new LinkedHashMap<>();
                s.put("step", step.name());
                s.put("per_update", step.perUpdate());
                s.put("ops_per_s", rps);
                measured.add(s);
            }
        } finally {
            redis.deleteKeys(REDIS_PREFIX);
        }
        m.put("what", "redis-benchmark of the Redis commands one presence update costs, " + profile.redisClients()
                + " clients");
        m.put("steps", measured);
        m.put("presence_updates_per_s", Math.round(1 / secondsPerUpdate));
        return m;
    }

    private static double redisBenchmark(Profile profile, Redis redis, int requests, int pipeline, List<String> args) {
        List<String> command = new ArrayList<>(List.of("redis-benchmark", "-h", redis.host(),
                "-p", String.valueOf(redis.port()), "-c", String.valueOf(profile.redisClients()),
                "-n", String.valueOf(requests), "-r", String.valueOf(REDIS_USERS), "-P", String.valueOf(pipeline),
                "--csv"));
        command.addAll(args);
        return parseRps(Command.run(command, Duration.ofMinutes(5)));
    }

    /** redis-benchmark --csv: a header line, then {@code "name","rps",...} per test. */
    static double parseRps(String csv) {
        for (String line : csv.split("\n")) {
            String[] fields = line.split("\",\"");
            if (fields.length >= 2 && !fields[1].equals("rps")) {
                return Double.parseDouble(fields[1].replace("\"", ""));
            }
        }
        throw new IllegalStateException("no rps figure in redis-benchmark's output");
    }
}
