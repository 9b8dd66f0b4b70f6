package io.pagenow.bench.jmh;

import io.pagenow.bench.Psql;
import io.pagenow.core.chat.Appended;
import io.pagenow.core.chat.port.out.ConversationStore;
import io.pagenow.postgres.PostgresConfig;
import io.pagenow.postgres.PostgresStores;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Appends per second through the core's {@code ConversationStore} port on the PostgreSQL adapter,
 * as a server's request threads make them: 16 threads at once, each storing one message, waiting
 * for its answer and storing the next (closed loop), round-robin over direct conversations. So many
 * at once is what lets the adapter group concurrent appends into one transaction (a batch), so this
 * is the append batch's path: queueing, the batch's statements, the commit, the answers. Runs on a
 * database of its own ({@code pagenow_jmh_append_<uuid>} on the PostgreSQL of {@code PGHOST} etc.,
 * loopback 5432 by default), migrated by the adapter at open and dropped afterwards; what it
 * measures is mostly PostgreSQL's round trips and commits per message.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(16)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
public class AppendBatchBenchmark {

    private static final String CONTENT = "#1 lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incid";
    private static final Instant SENT_AT = Instant.parse("2026-03-01T08:30:15.123Z");

    /** Direct conversations the appends go to. */
    @Param({"64"})
    public int conversations;

    private final Psql database = Psql.fromEnvironment(System.getenv(),
            "pagenow_jmh_append_" + UUID.randomUUID().toString().replace("-", ""));
    private final AtomicInteger senders = new AtomicInteger();
    private PostgresStores stores;
    private ConversationStore store;
    private List<UUID> ids;

    /** One request thread: a sender of its own, so every temp id is unique and none is a retry. */
    @State(Scope.Thread)
    public static class Sender {
        String name;
        long next;

        @Setup
        public void setUp(AppendBatchBenchmark benchmark) {
            int index = benchmark.senders.getAndIncrement();
            name = "s" + index;
            next = index;   // the threads start on different conversations
        }
    }

    @Setup
    public void setUp() {
        database.recreateDatabase();
        stores = PostgresStores.open(new PostgresConfig(database.jdbcUrl(), database.user(),
                database.password().isEmpty() ? null : database.password(), PostgresConfig.DEFAULT_POOL_SIZE, true));
        store = stores.conversations();
        ids = new ArrayList<>();
        for (int i = 0; i < conversations; i++) {
            ids.add(store.findOrCreateDirect("u" + i, "v" + i, SENT_AT).id());
        }
    }

    @TearDown
    public void tearDown() {
        try {
            stores.close();
        } finally {
            database.dropDatabase();
        }
    }

    /** One message stored, with the next sequence number of its conversation, and its answer. */
    @Benchmark
    public Appended append(Sender sender) {
        long n = sender.next++;
        return store.append(ids.get((int) (n % conversations)), sender.name, sender.name + "-" + n, CONTENT, SENT_AT);
    }
}
