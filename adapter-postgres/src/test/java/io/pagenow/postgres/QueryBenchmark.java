package io.pagenow.postgres;

import io.pagenow.core.chat.port.out.ConversationStore;
import io.pagenow.db.testing.TestSchema;
import org.jdbi.v3.core.Jdbi;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.function.IntConsumer;

/**
 * Generates the benchmark size (default 1,000 users, 20,000 conversations, 1,000,000 messages) in
 * a schema of its own, checks with EXPLAIN that listing and paging use their indexes, and measures
 * their latency through the store (pool, statement, mapping). Writes the table to
 * {@code target/query-benchmark.md}; exits 1 when a plan reads message_table or participant_table
 * sequentially. Not a test: it measures and asserts no time.
 *
 * <p>{@code mvn -B -pl adapter-postgres -am -Pbench verify -DskipTests}, sizes by
 * {@code -Dbench.users=... -Dbench.conversations=... -Dbench.messages=...}; {@code -Dbench.keep=true}
 * leaves the generated schema in place (its name is printed) for a look with psql.
 */
public final class QueryBenchmark {

    private static final int WARMUP = 300;
    private static final int SAMPLES = 2_000;

    private QueryBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        GeneratedData data = new GeneratedData(Integer.getInteger("bench.users", 1_000),
                Integer.getInteger("bench.conversations", 20_000), Integer.getInteger("bench.messages", 1_000_000));
        List<String> report = new ArrayList<>();
        boolean indexed = true;
        boolean keep = Boolean.getBoolean("bench.keep");
        TestSchema schema = TestSchema.create("bench");
        try (PostgresStores stores = PostgresStores.open(new PostgresConfig(schema.jdbcUrl(), schema.user(),
                schema.password(), 4, true))) {
            long start = System.nanoTime();
            try (Connection c = schema.connect()) {
                data.insert(c);
            }
            double generateSeconds = (System.nanoTime() - start) / 1e9;
            Jdbi jdbi = Jdbi.create(schema.jdbcUrl(), schema.user(), schema.password());
            ConversationStore store = stores.conversations();

            UUID[] conversations = jdbi.withHandle(h -> h.createQuery("SELECT conversation_id FROM conversation_table"
                    + " ORDER BY conversation_id").mapTo(UUID.class).list()).toArray(new UUID[0]);
            UUID[] longest = jdbi.withHandle(h -> h.createQuery("SELECT conversation_id FROM conversation_table"
                    + " ORDER BY last_seq DESC LIMIT " + GeneratedData.LONG_CONVERSATIONS).mapTo(UUID.class).list())
                    .toArray(new UUID[0]);
            long longestSeq = jdbi.withHandle(h -> h.createQuery("SELECT min(last_seq) FROM conversation_table"
                    + " WHERE conversation_id = ANY(:ids)").bind("ids", longest).mapTo(Long.class).one());
            int heavyCount = store.activityOf(GeneratedData.userId(0)).size();
            int ordinaryCount = store.activityOf(GeneratedData.userId(data.users() - 1)).size();

            report.add("# Query benchmark");
            report.add("");
            report.add(String.format("Data: %,d users, %,d conversations, %,d messages (generated in %.1f s);"
                            + " a busy user is in %d conversations, an ordinary one in %d; the %d longest"
                            + " conversations have %,d+ messages.", data.users(), data.conversations(),
                    data.messages(), generateSeconds, heavyCount, ordinaryCount, longest.length, longestSeq));
            report.add("");

            report.add("## Plans (EXPLAIN)");
            List<String[]> plans = new ArrayList<>();
            plans.add(new String[] {"listing, busy user", plan(jdbi, h -> QueryPlans.listing(h, GeneratedData.userId(0)))});
            plans.add(new String[] {"listing, ordinary user", plan(jdbi, h -> QueryPlans.listing(h, GeneratedData.userId(data.users() - 1)))});
            plans.add(new String[] {"newest page", plan(jdbi, h -> QueryPlans.newest(h, longest[0], 0, 20))});
            plans.add(new String[] {"page at offset 1000", plan(jdbi, h -> QueryPlans.newest(h, longest[0], 1000, 20))});
            plans.add(new String[] {"page before a message", plan(jdbi, h -> QueryPlans.before(h, longest[0], longestSeq / 2, 20))});
            for (String[] plan : plans) {
                List<String> scans = QueryPlans.sequentialScans(Arrays.asList(plan[1].split("\n")));
                indexed &= scans.isEmpty();
                report.add("");
                report.add("### " + plan[0] + (scans.isEmpty() ? "" : " (SEQUENTIAL SCAN)"));
                report.add("```");
                report.add(plan[1]);
                report.add("```");
            }

            Random random = new Random(42);
            report.add("");
            report.add("## Latency through the store (ms), " + SAMPLES + " calls each after " + WARMUP + " warm-up calls, one thread");
            report.add("");
            report.add("| query | p50 | p90 | p99 | max |");
            report.add("|---|---|---|---|---|");
            report.add(row("GET /conversations, random user", measure(i ->
                    store.activityOf(GeneratedData.userId(random.nextInt(data.users()))))));
            report.add(row("GET /conversations, busy user (" + heavyCount + " conversations)", measure(i ->
                    store.activityOf(GeneratedData.userId(i % GeneratedData.HEAVY_USERS)))));
            report.add(row("messages, newest 20, random conversation", measure(i ->
                    store.newest(conversations[random.nextInt(conversations.length)], 0, 20))));
            report.add(row("messages, offset 1000 limit 20, long conversation", measure(i ->
                    store.newest(longest[random.nextInt(longest.length)], 1000, 20))));
            report.add(row("messages, before cursor, limit 20, long conversation", measure(i ->
                    store.before(longest[random.nextInt(longest.length)], 1 + random.nextInt((int) longestSeq), 20))));
            report.add("");
            report.add("Machine: " + Runtime.getRuntime().availableProcessors() + " cores, Java "
                    + System.getProperty("java.version") + ", " + jdbi.withHandle(h -> h.createQuery("SELECT version()")
                    .mapTo(String.class).one()));
        } finally {
            if (keep) {
                System.out.println("kept schema " + schema.name());
            } else {
                schema.close();
            }
        }
        String text = String.join("\n", report) + "\n";
        System.out.print(text);
        Path out = Path.of("target", "query-benchmark.md");
        try {
            Files.createDirectories(out.getParent());
            Files.writeString(out, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            System.err.println("could not write " + out + ": " + e.getMessage());
        }
        if (!indexed) {
            System.err.println("a plan reads message_table or participant_table sequentially");
            System.exit(1);
        }
    }

    private static String plan(Jdbi jdbi, java.util.function.Function<org.jdbi.v3.core.Handle, List<String>> explain) {
        List<String> lines = jdbi.withHandle(explain::apply);
        return String.join("\n", lines);
    }

    private static long[] measure(IntConsumer call) {
        for (int i = 0; i < WARMUP; i++) {
            call.accept(i);
        }
        long[] nanos = new long[SAMPLES];
        for (int i = 0; i < SAMPLES; i++) {
            long start = System.nanoTime();
            call.accept(i);
            nanos[i] = System.nanoTime() - start;
        }
        Arrays.sort(nanos);
        return nanos;
    }

    private static String row(String name, long[] sorted) {
        return String.format("| %s | %.2f | %.2f | %.2f | %.2f |", name, percentile(sorted, 50),
                percentile(sorted, 90), percentile(sorted, 99), sorted[sorted.length - 1] / 1e6);
    }

    private static double percentile(long[] sorted, double p) {
        int index = (int) Math.ceil(p / 100 * sorted.length) - 1;
        return sorted[Math.max(0, index)] / 1e6;
    }
}
