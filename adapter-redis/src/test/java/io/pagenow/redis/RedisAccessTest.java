package io.pagenow.redis;

import io.pagenow.core.error.StoreUnavailableException;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Connection;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClient;

import java.net.URI;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How {@link RedisAccess} sorts a pool that has no connection to give, on the shared Redis. */
class RedisAccessTest {

    @Test
    void anExhaustedPoolIsBusyNotAnOutageAndLeavesTheCircuitClosed() {
        URI url = URI.create(RedisTestSupport.URL);
        ConnectionPoolConfig pool = new ConnectionPoolConfig();
        pool.setMaxTotal(1);
        pool.setMaxWait(Duration.ofMillis(100));
        pool.setBlockWhenExhausted(true);
        pool.setJmxEnabled(false);
        try (RedisClient client = RedisClient.builder()
                .hostAndPort(new HostAndPort(url.getHost(), url.getPort() < 0 ? 6379 : url.getPort()))
                .clientConfig(DefaultJedisClientConfig.builder().build()).poolConfig(pool).build()) {
            RedisAccess redis = new RedisAccess(client, Duration.ofMillis(100));
            try (Connection only = client.getPool().getResource()) {
                for (int i = 0; i < RedisAccess.FAILURES_TO_OPEN + 1; i++) {
                    StoreUnavailableException refused = assertThrows(StoreUnavailableException.class,
                            () -> redis.call(RedisClient::ping));
                    assertTrue(refused.busy(), () -> "busy, not unavailable: " + refused.getCause());
                }
                assertTrue(only.ping());
            }
            // Had the busy answers opened the circuit, this would be refused for OPEN_FOR.
            assertEquals("PONG", redis.call(RedisClient::ping));
        }
    }
}
