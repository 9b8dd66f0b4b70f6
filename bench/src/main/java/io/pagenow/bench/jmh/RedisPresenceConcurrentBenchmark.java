package io.pagenow.bench.jmh;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.ThreadParams;

import java.util.concurrent.TimeUnit;

/**
 * {@link RedisPresencePathBenchmark}'s fan-out path from {@link #THREADS} threads at once on one
 * node, each updating a user of its own with 5 friends: what a server's socket threads do under
 * load, and what the Redis adapter's pipeline sends together. Throughput of all threads together;
 * needs the Redis of {@code REDIS_URL} (loopback 6379 by default), under a key prefix of its own,
 * deleted afterwards.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
public class RedisPresenceConcurrentBenchmark {

    static final int THREADS = 8;
    private static final int FRIENDS = 5;

    private RedisPresenceNode node;

    /** The user a thread updates, and its count of updates. */
    @State(Scope.Thread)
    public static class Updater {
        String user;
        long next;

        @Setup
        public void setUp(ThreadParams thread) {
            // Users of the ring far enough apart that no two threads update the same one.
            user = "u" + thread.getThreadIndex() * (FRIENDS + 1);
        }
    }

    @Setup
    public void setUp() {
        node = new RedisPresenceNode(THREADS * (FRIENDS + 1), FRIENDS);
    }

    @TearDown
    public void tearDown() {
        node.close();
    }

    @Benchmark
    @Threads(THREADS)
    public long dispatchUpdate(Updater updater) {
        return node.update(updater.user, updater.next++);
    }
}
