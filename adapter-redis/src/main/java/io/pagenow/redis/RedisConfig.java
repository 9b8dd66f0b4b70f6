package io.pagenow.redis;

import io.pagenow.config.Environment;
import io.pagenow.config.Redaction;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;

/**
 * How to reach Redis and who this node is.
 *
 * @param url       {@code redis://[user:password@]host:port[/db]}, or {@code rediss://} for TLS
 * @param keyPrefix put in front of every key and pub/sub channel, so deployments and test runs share one Redis
 * @param nodeId    this server node; unique per process, since a restarted node cannot tell its old sockets apart
 * @param timeout   bound on connecting, on each reply and on waiting for a pooled connection; a
 *                  pipelined call waits for the batch before its own too, so at most twice this
 * @param nodeTtl   a node whose liveness key is older than this is dead; the key is refreshed every third of it
 * @param poolSize  connections kept to Redis (the relay's subscription has its own), opened as
 *                  needed: the pipeline's batches take one at a time, the direct calls (probes,
 *                  beats, scans) the rest, each waiting for one at most {@code timeout}
 */
public record RedisConfig(URI url, String keyPrefix, String nodeId, Duration timeout, Duration nodeTtl, int poolSize) {

    public static final String DEFAULT_KEY_PREFIX = Environment.DEFAULT_REDIS_KEY_PREFIX;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(1);
    public static final Duration DEFAULT_NODE_TTL = Duration.ofSeconds(15);
    public static final int DEFAULT_POOL_SIZE = 32;

    public RedisConfig {
        checkUrl(Objects.requireNonNull(url, "url"));
        Objects.requireNonNull(keyPrefix, "keyPrefix");
        if (Objects.requireNonNull(nodeId, "nodeId").isBlank() || nodeId.length() > 200) {
            throw new IllegalArgumentException("nodeId must be 1 to 200 characters");
        }
        if (Objects.requireNonNull(timeout, "timeout").isNegative() || timeout.isZero()
                || timeout.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("timeout must be positive");
        }
        if (Objects.requireNonNull(nodeTtl, "nodeTtl").compareTo(Duration.ofMillis(300)) < 0) {
            throw new IllegalArgumentException("nodeTtl must be at least 300 ms");
        }
        if (poolSize < 2) {
            throw new IllegalArgumentException("poolSize must be at least 2");
        }
    }

    private static void checkUrl(URI url) {
        String scheme = url.getScheme();
        if (!"redis".equals(scheme) && !"rediss".equals(scheme)) {
            throw new IllegalArgumentException("REDIS_URL must start with redis:// or rediss://");
        }
        if (url.getHost() == null || url.getHost().isEmpty()) {
            throw new IllegalArgumentException("REDIS_URL must name a host");
        }
        String path = url.getPath();
        if (path != null && !path.isEmpty() && !path.equals("/") && !path.substring(1).matches("\\d{1,5}")) {
            throw new IllegalArgumentException("REDIS_URL path must be a database number, like /0");
        }
    }

    /**
     * The defaults for everything but the address and prefix, with a fresh node id.
     *
     * @param url       {@code REDIS_URL}
     * @param keyPrefix {@code REDIS_KEY_PREFIX}; null or blank means {@value #DEFAULT_KEY_PREFIX}
     */
    public static RedisConfig of(String url, String keyPrefix) {
        Objects.requireNonNull(url, "REDIS_URL");
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            // The message would echo the URL, password included.
            throw new IllegalArgumentException("REDIS_URL is not a valid URL");
        }
        String prefix = keyPrefix == null || keyPrefix.isBlank() ? DEFAULT_KEY_PREFIX : keyPrefix;
        return new RedisConfig(uri, prefix, freshNodeId(),
                DEFAULT_TIMEOUT, DEFAULT_NODE_TTL, DEFAULT_POOL_SIZE);
    }

    public RedisConfig withNodeId(String id) {
        return new RedisConfig(url, keyPrefix, id, timeout, nodeTtl, poolSize);
    }

    public RedisConfig withTimeout(Duration value) {
        return new RedisConfig(url, keyPrefix, nodeId, value, nodeTtl, poolSize);
    }

    public RedisConfig withNodeTtl(Duration value) {
        return new RedisConfig(url, keyPrefix, nodeId, timeout, value, poolSize);
    }

    public RedisConfig withPoolSize(int value) {
        return new RedisConfig(url, keyPrefix, nodeId, timeout, nodeTtl, value);
    }

    /** A random id: node ids must not be reused by a restarted process. */
    public static String freshNodeId() {
        return "node-" + UUID.randomUUID().toString().substring(0, 13);
    }

    /** Never prints the password. */
    @Override
    public String toString() {
        return "RedisConfig[url=" + Redaction.url(url.toString()) + ", keyPrefix=" + keyPrefix + ", nodeId=" + nodeId + ", timeout="
                + timeout + ", nodeTtl=" + nodeTtl + ", poolSize=" + poolSize + "]";
    }
}
