package io.pagenow.redis;

import io.pagenow.core.delivery.Channel;
import io.pagenow.core.delivery.Connection;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RedisConfigTest {

    @Test
    void defaultsEverythingButTheAddress() {
        RedisConfig config = RedisConfig.of("redis://cache.internal:6380/2", null);

        assertEquals(URI.create("redis://cache.internal:6380/2"), config.url());
        assertEquals("pagenow:", config.keyPrefix());
        assertEquals(Duration.ofSeconds(1), config.timeout());
        assertEquals(Duration.ofSeconds(15), config.nodeTtl());
        assertTrue(config.nodeId().startsWith("node-"));
        assertNotEquals(config.nodeId(), RedisConfig.of("redis://cache.internal:6380/2", null).nodeId(),
                "each process gets its own node id");
        assertEquals("staging:", RedisConfig.of("rediss://cache.internal", "staging:").keyPrefix());
        assertEquals("pagenow:", RedisConfig.of("redis://cache.internal", " ").keyPrefix(), "blank means the default");
    }

    @Test
    void badUrlsAreRefusedNamingTheVariableWithoutEchoingThePassword() {
        List<String> bad = List.of("http://user:s3cret@host:6379", "redis://user:s3cret@:6379",
                "redis://user:s3cret@host:6379/notanumber", "redis://user:s3cret@ho st:6379");
        for (String url : bad) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RedisConfig.of(url, null),
                    () -> "accepted " + url);
            assertTrue(e.getMessage().contains("REDIS_URL"), e.getMessage());
            assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
        }
    }

    @Test
    void printingAConfigNeverShowsThePassword() {
        String printed = RedisConfig.of("rediss://user:s3cret@cache.internal:6380/1", "p:").toString();

        assertFalse(printed.contains("s3cret"), printed);
        assertTrue(printed.contains("rediss://***@cache.internal:6380/1"), printed);
    }

    @Test
    void outOfRangeSettingsAreRefused() {
        RedisConfig config = RedisConfig.of("redis://localhost", null);
        assertThrows(IllegalArgumentException.class, () -> config.withTimeout(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> config.withNodeTtl(Duration.ofMillis(10)));
        assertThrows(IllegalArgumentException.class, () -> config.withNodeId(" "));
        assertThrows(IllegalArgumentException.class, () -> config.withPoolSize(1));
    }

    @Test
    void theDatabaseNumberOfTheUrlIsUsed() {
        String prefix = RedisTestSupport.freshPrefix();
        URI shared = URI.create(RedisTestSupport.URL);
        String onDb5 = shared.getScheme() + "://" + shared.getRawAuthority() + "/5";
        try (RedisLive live = RedisTestSupport.connect(RedisConfig.of(onDb5, prefix))) {
            live.registry().register(new Connection("c1", "alice", Channel.CHAT, "n1"));
        }
        try (RedisClient db5 = RedisTestSupport.rawClient(onDb5);
             RedisClient db0 = RedisTestSupport.rawClient(shared.getScheme() + "://" + shared.getRawAuthority() + "/0")) {
            assertTrue(db5.exists(prefix + "conn:c1"));
            assertFalse(db0.exists(prefix + "conn:c1"));
            db5.del(RedisTestSupport.keysUnder(db5, prefix).toArray(String[]::new));
        }
    }
}
