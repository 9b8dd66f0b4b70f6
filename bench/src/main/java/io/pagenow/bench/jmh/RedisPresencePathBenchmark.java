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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.net.URI;
import java.time.Clock;
import java.util.UUID;
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

    private final String prefix = "pagenow-bench:jmh:" + UUID.randomUUID() + ":";
    private RedisLive redis;
    private Presence presence;
    private CountingPush push;
    private long next;

    @Setup
    public void setUp() {
        int n = Math.max(2 * friends + 2, 12);
        InMemorySocialGraph graph = InMemoryServer.ring(n, friends);
        redis = RedisLive.connect(RedisConfig.of(url().toString(), prefix));
        push = new CountingPush();
        Deliveries deliveries = new Deliveries(redis.registry(), push);
        presence = PresenceCore.create(redis.presenceStore(), graph, new GuavaRegistrableDomains(), deliveries,
                Clock.systemUTC(), PresenceCore.DEFAULT_TIMEOUT);
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

    /** The use case on Redis: domain, share settings, store, the audience's connections, push. */
    @Benchmark
    public long dispatchUpdate() {
        long i = next++;
        presence.updatePresence("u0", "https://s" + (i % 97) + ".example.com/p/" + i, "t" + i);
        return push.frames;
    }

    private static URI url() {
        return URI.create(System.getenv().getOrDefault("REDIS_URL", "redis://127.0.0.1:6379"));
    }
}
