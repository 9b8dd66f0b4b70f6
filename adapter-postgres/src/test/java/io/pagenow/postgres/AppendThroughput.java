package io.pagenow.postgres;

import io.pagenow.core.chat.port.out.ConversationStore;
import io.pagenow.db.testing.TestSchema;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Not a test: appends per second through {@link PostgresStores} with many threads at once against
 * the real PostgreSQL, the figure the chat benchmark's send path is bound by. Each thread sends,
 * waits for the answer and sends again (closed loop) to a random one of the conversations, as a
 * server's request threads do; the schema is dropped at the end.
 *
 * <pre>
 * mvn -B -q -pl adapter-postgres -am test-compile
 * mvn -B -q -pl adapter-postgres exec:java -Dexec.mainClass=io.pagenow.postgres.AppendThroughput \
 *     -Dexec.classpathScope=test -Dexec.args="32 10 10 64"   # threads, seconds, pool size, conversations
 * </pre>
 */
public final class AppendThroughput {

    private AppendThroughput() {
    }

    public static void main(String[] args) throws Exception {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 32;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int poolSize = args.length > 2 ? Integer.parseInt(args[2]) : PostgresConfig.DEFAULT_POOL_SIZE;
        int conversationCount = args.length > 3 ? Integer.parseInt(args[3]) : 64;
        try (TestSchema schema = TestSchema.create("append_throughput");
             PostgresStores stores = PostgresStores.open(new PostgresConfig(schema.jdbcUrl(), schema.user(),
                     schema.password(), poolSize, true))) {
            ConversationStore store = stores.conversations();
            Instant now = Instant.parse("2026-03-01T08:30:15.123Z");
            List<UUID> conversations = new ArrayList<>();
            for (int i = 0; i < conversationCount; i++) {
                conversations.add(store.findOrCreateDirect("u" + i, "v" + i, now).id());
            }
            run(store, conversations, threads, 3, now);                       // warm-up
            Result result = run(store, conversations, threads, seconds, now);
            System.out.printf("threads=%d pool=%d conversations=%d seconds=%d appends=%d appends/s=%.0f"
                            + " p50=%.2fms p99=%.2fms max=%.2fms errors=%d%n",
                    threads, poolSize, conversationCount, seconds, result.count(), result.count() / (double) seconds,
                    result.percentile(0.50), result.percentile(0.99), result.percentile(1.0), result.errors());
        }
    }

    private record Result(long count, long errors, long[] latenciesNanos) {
        double percentile(double p) {
            if (latenciesNanos.length == 0) {
                return 0;
            }
            int index = (int) Math.min(latenciesNanos.length - 1, Math.ceil(p * latenciesNanos.length) - 1);
            return latenciesNanos[Math.max(0, index)] / 1e6;
        }
    }

    private static Result run(ConversationStore store, List<UUID> conversations, int threads, int seconds,
                              Instant now) throws InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong errors = new AtomicLong();
        List<long[]> samples = new ArrayList<>();
        List<Thread> workers = new ArrayList<>();
        String run = UUID.randomUUID().toString().substring(0, 8);
        for (int t = 0; t < threads; t++) {
            long[] mine = new long[400_000];
            samples.add(mine);
            String sender = "sender-" + run + "-" + t;
            Thread worker = new Thread(() -> {
                int n = 0;
                while (!stop.get() && n < mine.length - 1) {
                    UUID conversation = conversations.get(ThreadLocalRandom.current().nextInt(conversations.size()));
                    long start = System.nanoTime();
                    try {
                        store.append(conversation, sender, "t" + n, "message " + n, now);
                        mine[++n] = System.nanoTime() - start;
                    } catch (RuntimeException e) {
                        errors.incrementAndGet();
                    }
                }
                mine[0] = n;
            });
            workers.add(worker);
            worker.start();
        }
        Thread.sleep(seconds * 1000L);   // the measured interval itself, not a wait for an event
        stop.set(true);
        for (Thread worker : workers) {
            worker.join();
        }
        long total = samples.stream().mapToLong(s -> s[0]).sum();
        long[] all = new long[(int) total];
        int at = 0;
        for (long[] s : samples) {
            System.arraycopy(s, 1, all, at, (int) s[0]);
            at += (int) s[0];
        }
        Arrays.sort(all);
        return new Result(total, errors.get(), all);
    }
}
