package io.pagenow.postgres;

import io.pagenow.config.Environment;
import io.pagenow.config.Redaction;

import java.time.Duration;
import java.util.Objects;

/**
 * How to reach PostgreSQL.
 *
 * @param jdbcUrl           {@code jdbc:postgresql://host:port/database}
 * @param user              may be null when the URL or the server needs none
 * @param password          may be null
 * @param poolSize          the most connections the pool opens
 * @param migrate           whether {@link PostgresStores#open} brings the schema up to date first
 * <p>One call's bound, {@link #callTimeout()}, follows from the two timeouts: waiting for a
 * connection, then a connection that stays silent ({@link #socketTimeout()}). The defaults make it
 * 2 s, so that a frame, which may first wait up to 0.5 s behind a refused one on its socket, is
 * answered within the 3 s the protocol promises while the database is out, hanging or refusing.
 *
 * @param connectionTimeout how long a request waits for a connection (pool exhausted, database
 *                          unreachable) before it fails with {@code StoreUnavailableException}
 * @param statementTimeout  how long one statement may run before the server cancels it
 * @param socialGraphCacheTtl how long friends and share settings read from the user service's
 *                          tables are served before being read again (refreshed in the background,
 *                          those falling due within a fifth of it together; dropped after twice
 *                          this); zero reads them on every call. A new friendship or a changed
 *                          share setting applies within 1.2 times it.
 */
public record PostgresConfig(String jdbcUrl, String user, String password, int poolSize, boolean migrate,
                             Duration connectionTimeout, Duration statementTimeout, Duration socialGraphCacheTtl) {

    public static final int DEFAULT_POOL_SIZE = 10;
    public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofMillis(500);
    public static final Duration DEFAULT_STATEMENT_TIMEOUT = Duration.ofSeconds(1);
    /**
     * How much longer than a statement may run a connection may stay silent before the driver
     * drops it: long enough for the server's own cancel to arrive first (the connection is then
     * kept), short enough to keep {@link #callTimeout()} within its bound.
     */
    static final Duration SOCKET_GRACE = Duration.ofMillis(500);
    public static final Duration DEFAULT_SOCIAL_GRAPH_CACHE_TTL = Duration.ofSeconds(Environment.DEFAULT_SOCIAL_GRAPH_CACHE_SECONDS);

    public PostgresConfig {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("jdbcUrl must start with jdbc:postgresql:");
        }
        if (poolSize < 1) {
            throw new IllegalArgumentException("poolSize must be at least 1, was " + poolSize);
        }
        Objects.requireNonNull(connectionTimeout, "connectionTimeout");
        Objects.requireNonNull(statementTimeout, "statementTimeout");
        // HikariCP refuses less than 250 ms; the driver counts its timeouts in whole seconds.
        if (connectionTimeout.toMillis() < 250) {
            throw new IllegalArgumentException("connectionTimeout must be at least 250 ms");
        }
        if (statementTimeout.toMillis() < 1) {
            throw new IllegalArgumentException("statementTimeout must be positive");
        }
        Objects.requireNonNull(socialGraphCacheTtl, "socialGraphCacheTtl");
        if (socialGraphCacheTtl.isNegative()) {
            throw new IllegalArgumentException("socialGraphCacheTtl must not be negative");
        }
    }

    /** The default social graph cache TTL. */
    public PostgresConfig(String jdbcUrl, String user, String password, int poolSize, boolean migrate,
                          Duration connectionTimeout, Duration statementTimeout) {
        this(jdbcUrl, user, password, poolSize, migrate, connectionTimeout, statementTimeout,
                DEFAULT_SOCIAL_GRAPH_CACHE_TTL);
    }

    /** The default timeouts: half a second to get a connection, one second per statement. */
    public PostgresConfig(String jdbcUrl, String user, String password, int poolSize, boolean migrate) {
        this(jdbcUrl, user, password, poolSize, migrate, DEFAULT_CONNECTION_TIMEOUT, DEFAULT_STATEMENT_TIMEOUT);
    }

    /**
     * How long the driver waits on a connection that has stopped answering (the database hangs,
     * or the network between) before it drops the connection and the call fails.
     */
    public Duration socketTimeout() {
        return statementTimeout.plus(SOCKET_GRACE);
    }

    /**
     * The most one call keeps its caller while the database is out, refusing or hanging: getting a
     * connection (its validation included), then a silent connection. An append waits this long
     * for its batch, whatever the batch is waiting on. 2 s with the defaults.
     */
    public Duration callTimeout() {
        return connectionTimeout.plus(socketTimeout());
    }

    /** This configuration with another social graph cache TTL (zero: no cache). */
    public PostgresConfig withSocialGraphCacheTtl(Duration ttl) {
        return new PostgresConfig(jdbcUrl, user, password, poolSize, migrate, connectionTimeout, statementTimeout, ttl);
    }

    /** Keeps the password out of logs. */
    @Override
    public String toString() {
        return "PostgresConfig[" + Redaction.url(jdbcUrl) + ", user=" + user
                + ", poolSize=" + poolSize + ", migrate=" + migrate + ", connectionTimeout=" + connectionTimeout
                + ", statementTimeout=" + statementTimeout + ", socialGraphCacheTtl=" + socialGraphCacheTtl + "]";
    }
}
