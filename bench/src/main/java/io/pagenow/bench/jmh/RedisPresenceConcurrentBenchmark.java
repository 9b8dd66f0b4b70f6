package io.pagenow.bench.jmh;

import io.pagenow.bench.Redis;
import io.pagenow.core.delivery.Channel;
import io.pagenow.core.delivery.Connection;
import io.pagenow.core.delivery.Deliveries;
import io.pagenow.core.memory.InMemorySocialGraph;
import io.pagenow.core.presence.PresenceCore;
import io.pagenow.core.presence.port.in.Presence;
import io.pagenow.protocol.GuavaRegistrableDomains;
import io.pagenow.redis.RedisConfig;
import io.pagenow.redis.RedisLive;
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

import java.net.URI;
import java.time.Clock;
import java.util.UUID;
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

    private final String prefix = "pagenow-bench:jmh:" + UUID.randomUUID() + ":";
    private RedisLive redis;
    private Presence presence;
    private CountingPush push;

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
        int n = THREADS * (FRIENDS + 1);
        InMemorySocialGraph graph = InMemoryServer.ring(n, FRIENDS);
        redis = RedisLive.connect(RedisConfig.of(url().toString(), prefix));
        push = new CountingPush();
        presence = PresenceCore.create(redis.presenceStore(), graph, new GuavaRegistrableDomains(),
                new Deliveries(redis.registry(), push), Clock.systemUTC(), PresenceCore.DEFAULT_TIMEOUT);
        for (String user : InMemoryServer.users(n)) {
            presence.connect(new Connection("presence-" + user, user, Channel.PRESENCE, redis.nodeId()));
        }
    }

    @TearDown
    public void tearDown() {
        redis.close();
        URI url = url();
        new Redis(url.getHost(), url.getPort() < 0 ? 6379 : url.getPort()).deleteKeys(prefix);
    }

    @Benchmark
    @Threads(THREADS)
    public long dispatchUpdate(Updater updater) {
        long i = updater.next++;
        presence.updatePresence(updater.user, "https://s" + (i % 97) + ".example.com/p/" + i, "t" + i);
        return push.frames;
    }

    private static URI url() {
        return URI.create(System.getenv().getOrDefault("REDIS_URL", "redis://127.0.0.1:6379"));
    }
}
