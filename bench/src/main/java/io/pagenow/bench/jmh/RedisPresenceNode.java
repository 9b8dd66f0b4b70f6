package io.pagenow.bench.jmh;

import io.pagenow.bench.Redis;
import io.pagenow.core.delivery.Channel;
import io.pagenow.core.delivery.Connection;
import io.pagenow.core.delivery.Deliveries;
import io.pagenow.core.presence.PresenceCore;
import io.pagenow.core.presence.port.in.Presence;
import io.pagenow.protocol.GuavaRegistrableDomains;
import io.pagenow.redis.RedisConfig;
import io.pagenow.redis.RedisLive;

import java.net.URI;
import java.time.Clock;
import java.util.UUID;

/**
 * One server node's presence path on the Redis adapter, as the Redis benchmarks run it: a ring of
 * {@code users} users with {@code friends} friends each (social graph in memory, as the PostgreSQL
 * adapter's cache serves it on this path), each with a presence socket registered, pushes counted
 * instead of written. Runs against the Redis of {@code REDIS_URL} (loopback 6379 by default) under
 * a key prefix of its own, deleted by {@link #close()}.
 */
final class RedisPresenceNode implements AutoCloseable {

    private final String prefix = "pagenow-bench:jmh:" + UUID.randomUUID() + ":";
    private final RedisLive redis;
    final Presence presence;
    final CountingPush push = new CountingPush();

    RedisPresenceNode(int users, int friends) {
        redis = RedisLive.connect(RedisConfig.of(url().toString(), prefix));
        presence = PresenceCore.create(redis.presenceStore(), InMemoryServer.ring(users, friends),
                new GuavaRegistrableDomains(), new Deliveries(redis.registry(), push), Clock.systemUTC(),
                PresenceCore.DEFAULT_TIMEOUT);
        for (String user : InMemoryServer.users(users)) {
            presence.connect(new Connection("presence-" + user, user, Channel.PRESENCE, redis.nodeId()));
        }
    }

    /** One update of {@code user}'s page, the {@code i}-th: a new URL each time, on 97 domains. */
    long update(String user, long i) {
        presence.updatePresence(user, "https://s" + (i % 97) + ".example.com/p/" + i, "t" + i);
        return push.frames;
    }

    @Override
    public void close() {
        redis.close();
        URI url = url();
        new Redis(url.getHost(), url.getPort() < 0 ? 6379 : url.getPort()).deleteKeys(prefix);
    }

    private static URI url() {
        return URI.create(System.getenv().getOrDefault("REDIS_URL", "redis://127.0.0.1:6379"));
    }
}
