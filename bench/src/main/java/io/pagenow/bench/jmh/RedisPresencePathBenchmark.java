package io.pagenow.bench.jmh;

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
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * A presence update's fan-out path on the Redis adapter, as a server over PostgreSQL + Redis runs
 * it: write the page, look up the presence connections of the user and each friend, push to them
 * (encoded once, written to no socket). The social graph is in memory, as the PostgreSQL adapter's
 * cache serves it on this path. Runs against the Redis of {@code REDIS_URL} (loopback 6379 by
 * default) under a key prefix of its own, deleted afterwards; what it measures is mostly the round
 * trips to Redis per update.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
public class RedisPresencePathBenchmark {

    /** Online friends of the updating user. */
    @Param({"5"})
    public int friends;

    private RedisPresenceNode node;
    private long next;

    @Setup
    public void setUp() {
        node = new RedisPresenceNode(Math.max(2 * friends + 2, 12), friends);
    }

    @TearDown
    public void tearDown() {
        node.close();
    }

    /** The use case on Redis: domain, share settings, store, the audience's connections, push. */
    @Benchmark
    public long dispatchUpdate() {
        return node.update("u0", next++);
    }
}
