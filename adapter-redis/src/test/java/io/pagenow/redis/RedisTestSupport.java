package io.pagenow.redis;

import redis.clients.jedis.RedisClient;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The shared Redis of the tests (env {@code REDIS_URL}, default loopback 6379) and a fresh key
 * prefix per test, so tests never touch each other's keys and never flush anything. An
 * unreachable Redis fails the test, never skips it.
 */
final class RedisTestSupport {

    static final String URL = System.getenv().getOrDefault("REDIS_URL", "redis://127.0.0.1:6379");

    private RedisTestSupport() {
    }

    static String freshPrefix() {
        return "pagenow-test:" + UUID.randomUUID() + ":";
    }

    static RedisConfig config(String prefix, String nodeId) {
        return RedisConfig.of(URL, prefix).withNodeId(nodeId);
    }

    /** Connects and fails the test at once when Redis does not answer. */
    static RedisLive connect(RedisConfig config) {
        return connect(config, RedisPresenceStore.DEFAULT_SWEEP_BATCH);
    }

    static RedisLive connect(RedisConfig config, int sweepBatch) {
        RedisLive live = RedisLive.connect(config, sweepBatch);
        if (!live.ready()) {
            live.close();
            fail("Redis is not reachable at " + config + " (set REDIS_URL, or run bash .ci/services)");
        }
        return live;
    }

    /** A plain client to look at and arrange keys directly. */
    static RedisClient rawClient(String url) {
        return RedisClient.create(url);
    }

    static List<String> keysUnder(RedisClient raw, String prefix) {
        List<String> keys = new ArrayList<>();
        ScanParams match = new ScanParams().match(prefix + "*").count(1000);
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            ScanResult<String> page = raw.scan(cursor, match);
            keys.addAll(page.getResult());
            cursor = page.getCursor();
        } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        return keys;
    }

    /** Deletes this test's keys: only those under its own prefix. */
    static void deleteKeysUnder(String prefix) {
        try (RedisClient raw = rawClient(URL)) {
            List<String> keys = keysUnder(raw, prefix);
            if (!keys.isEmpty()) {
                raw.del(keys.toArray(String[]::new));
            }
        }
    }
}
