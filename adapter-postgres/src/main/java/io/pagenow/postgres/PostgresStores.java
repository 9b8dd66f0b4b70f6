package io.pagenow.postgres;

import com.github.benmanes.caffeine.cache.Ticker;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.pagenow.core.chat.port.ConversationStore;
import io.pagenow.core.social.SocialGraph;
import io.pagenow.db.Migrations;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementExceptions;
import org.jdbi.v3.postgres.PostgresPlugin;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The durable ports on PostgreSQL, sharing one connection pool: what a composition root opens once
 * at start and closes at shutdown.
 *
 * <p>Every call is bounded: waiting for a connection by {@link PostgresConfig#connectionTimeout()},
 * a statement by {@link PostgresConfig#statementTimeout()} (cancelled by the server) and, should
 * the server stop answering altogether, by a socket timeout a little longer. Past a bound the call
 * fails with {@code StoreUnavailableException}; the pool opens fresh connections once the
 * database is back.
 *
 * <p>Appends are group-committed ({@code AppendBatcher}): concurrent sends share transactions,
 * written by one thread. Conversations are cached once found (they never change); friends and
 * share settings for {@link PostgresConfig#socialGraphCacheTtl()} ({@code CachedSocialGraph}).
 */
public final class PostgresStores implements AutoCloseable {

    /** Seconds the socket may stay silent beyond the statement timeout before the connection is dropped. */
    private static final int SOCKET_GRACE_SECONDS = 5;

    private final HikariDataSource dataSource;
    private final Jdbi jdbi;
    private final PostgresConversationStore conversations;
    private final SocialGraph socialGraph;
    /** Runs the social graph cache's background reads; null without the cache. */
    private final ExecutorService refreshes;

    private PostgresStores(PostgresConfig config, HikariDataSource dataSource, Ticker ticker,
                           Executor refreshExecutor) {
        this.dataSource = dataSource;
        this.jdbi = Jdbi.create(dataSource).installPlugin(new PostgresPlugin());
        // A failed statement's message would quote its arguments, message contents among them.
        jdbi.getConfig(StatementExceptions.class).setMessageRendering(StatementExceptions.MessageRendering.NONE);
        this.conversations = new PostgresConversationStore(jdbi, appendWait(config));
        SocialGraph graph = new PostgresSocialGraph(jdbi);
        if (config.socialGraphCacheTtl().isZero()) {
            this.refreshes = null;
            this.socialGraph = graph;
        } else {
            this.refreshes = refreshExecutor == null ? refreshThreads(config) : null;
            this.socialGraph = new CachedSocialGraph(graph, config.socialGraphCacheTtl(), ticker,
                    refreshExecutor == null ? refreshes : refreshExecutor);
        }
    }

    /**
     * How long an append may wait for its batch: getting a connection, then the batch's
     * statements (each bounded by the statement timeout) and a silent socket's grace.
     */
    static Duration appendWait(PostgresConfig config) {
        return config.connectionTimeout().plus(config.statementTimeout().multipliedBy(2))
                .plusSeconds(SOCKET_GRACE_SECONDS);
    }

    /**
     * A few daemon threads for the social graph cache's refreshes, which block on the pool: not
     * the common pool (one thread on two cores, shared with everything else). Half the pool at
     * most, so refreshes never take every connection from the requests.
     */
    private static ExecutorService refreshThreads(PostgresConfig config) {
        AtomicInteger count = new AtomicInteger();
        return Executors.newFixedThreadPool(Math.max(1, config.poolSize() / 2), task -> {
            Thread thread = new Thread(task, "pagenow-postgres-social-refresh-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Migrates the schema unless {@code config.migrate()} is false, then opens the pool. The pool
     * starts even when the database is down (requests fail with {@code StoreUnavailableException}
     * and {@link #ready()} is false until it is back); a migration cannot, and throws.
     *
     * @throws IllegalStateException when the migration fails (the database is left as it was)
     */
    public static PostgresStores open(PostgresConfig config) {
        return open(config, Ticker.systemTicker(), null);
    }

    /**
     * {@link #open(PostgresConfig)} with the social graph cache on another clock and, when not
     * null, refreshing on {@code refreshExecutor} (tests: on the calling thread).
     */
    static PostgresStores open(PostgresConfig config, Ticker ticker, Executor refreshExecutor) {
        if (config.migrate()) {
            Migrations.apply(config.jdbcUrl(), config.user(), config.password());
        }
        return new PostgresStores(config, new HikariDataSource(poolConfig(config)), ticker, refreshExecutor);
    }

    private static HikariConfig poolConfig(PostgresConfig config) {
        HikariConfig pool = new HikariConfig();
        pool.setPoolName("pagenow-postgres");
        pool.setJdbcUrl(config.jdbcUrl());
        pool.setUsername(config.user());
        pool.setPassword(config.password());
        pool.setMaximumPoolSize(config.poolSize());
        pool.setMinimumIdle(Math.min(2, config.poolSize()));
        pool.setConnectionTimeout(config.connectionTimeout().toMillis());
        pool.setValidationTimeout(Math.min(1000, config.connectionTimeout().toMillis()));
        pool.setInitializationFailTimeout(-1);
        long statementMillis = config.statementTimeout().toMillis();
        int connectSeconds = (int) Math.max(1, config.connectionTimeout().toSeconds());
        pool.addDataSourceProperty("connectTimeout", connectSeconds);
        pool.addDataSourceProperty("loginTimeout", connectSeconds);
        pool.addDataSourceProperty("socketTimeout",
                (int) Math.max(1, config.statementTimeout().toSeconds()) + SOCKET_GRACE_SECONDS);
        pool.addDataSourceProperty("tcpKeepAlive", true);
        // The server's DETAIL of an error quotes the row's values (a duplicate key's, say).
        pool.addDataSourceProperty("logServerErrorDetail", false);
        pool.addDataSourceProperty("options", "-c statement_timeout=" + statementMillis
                + " -c idle_in_transaction_session_timeout=" + Math.max(statementMillis * 2, 10_000));
        return pool;
    }

    public ConversationStore conversations() {
        return conversations;
    }

    public SocialGraph socialGraph() {
        return socialGraph;
    }

    /** Whether the database answers and holds this project's schema; never blocks past the connection timeout. */
    public boolean ready() {
        try {
            return jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM (SELECT last_seq FROM conversation_table LIMIT 0) schema_check")
                    .mapTo(Long.class)
                    .one()) == 0L;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The conversation store as implemented, for tests of its batching. */
    PostgresConversationStore conversationStore() {
        return conversations;
    }

    /** Stops the append writer (appends still waiting fail) and the refreshes, then closes the pool. */
    @Override
    public void close() {
        try {
            conversations.close();
            if (refreshes != null) {
                refreshes.shutdownNow();
            }
        } finally {
            dataSource.close();
        }
    }
}
