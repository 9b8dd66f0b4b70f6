package io.pagenow.postgres;

import com.github.benmanes.caffeine.cache.Ticker;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.pagenow.core.chat.port.out.ConversationStore;
import io.pagenow.core.social.port.out.SocialGraph;
import io.pagenow.db.Migrations;
import org.jdbi.v3.core.ConnectionFactory;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementExceptions;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The durable ports on PostgreSQL, sharing one connection pool: what a composition root opens once
 * at start and closes at shutdown.
 *
 * <p>Every call is bounded: waiting for a connection by {@link PostgresConfig#connectionTimeout()},
 * a statement by {@link PostgresConfig#statementTimeout()} (cancelled by the server) and, should
 * the server stop answering altogether, by {@link PostgresConfig#socketTimeout()}; a call in all,
 * the database hanging or refusing, by {@link PostgresConfig#callTimeout()}. Past a bound the call
 * fails with {@code StoreUnavailableException}; the pool opens fresh connections once the
 * database is back.
 *
 * <p>Appends are group-committed ({@code GroupCommit}, {@code PostgresAppends}): concurrent sends share transactions,
 * written by one thread. Conversations are cached once found (they never change); friends and
 * share settings for {@link PostgresConfig#socialGraphCacheTtl()} ({@code CachedSocialGraph}).
 */
public final class PostgresStores implements AutoCloseable {

    private final HikariDataSource dataSource;
    private final Jdbi jdbi;
    private final PostgresFailures failures;
    private final PostgresConversationStore conversations;
    private final SocialGraph socialGraph;
    private static final Logger LOG = LoggerFactory.getLogger(PostgresStores.class);
    /** How often migrations that could not run at start (the database was down) are tried again. */
    static final Duration MIGRATION_RETRY = Duration.ofSeconds(2);
    /** Retries the migrations when the database was down at start; null otherwise. */
    private volatile ScheduledExecutorService migrations;
    /**
     * How long a due refresh of the social graph cache waits for others to share its query: small
     * beside the TTL (seconds), and at hundreds of refreshes a second each query then serves tens
     * of users instead of one.
     */
    static final Duration REFRESH_GATHERING = Duration.ofMillis(50);
    /** Runs the social graph cache's background reads; null without the cache. */
    private final ExecutorService refreshes;

    private PostgresStores(PostgresConfig config, HikariDataSource dataSource, Ticker ticker,
                           Executor refreshExecutor, Executor firstReadExecutor) {
        this.dataSource = dataSource;
        this.jdbi = Jdbi.create(withSocketTimeout(dataSource, config.socketTimeout())).installPlugin(new PostgresPlugin());
        // A failed statement's message would quote its arguments, message contents among them.
        jdbi.getConfig(StatementExceptions.class).setMessageRendering(StatementExceptions.MessageRendering.NONE);
        this.failures = new PostgresFailures(Clock.systemUTC());
        this.conversations = new PostgresConversationStore(jdbi, dataSource, failures, config.callTimeout());
        PostgresSocialGraph graph = new PostgresSocialGraph(jdbi, failures);
        if (config.socialGraphCacheTtl().isZero()) {
            this.refreshes = null;
            this.socialGraph = graph;
        } else {
            this.refreshes = refreshExecutor == null ? refreshThreads(config) : null;
            // First reads run at once (a caller waits) on the refreshes' threads: they and the
            // refreshes together take at most half the pool from the requests.
            this.socialGraph = new CachedSocialGraph(graph, config.socialGraphCacheTtl(), ticker,
                    refreshExecutor == null ? gathering(refreshes) : refreshExecutor,
                    refreshExecutor == null ? refreshes : firstReadExecutor, config.callTimeout());
        }
    }

    /**
     * The pool's connections with the socket timeout to the millisecond (the driver's own setting
     * counts whole seconds, too coarse for the call timeout); the pool puts its default back when a
     * connection returns.
     */
    private static ConnectionFactory withSocketTimeout(HikariDataSource pool, Duration socketTimeout) {
        int millis = Math.toIntExact(socketTimeout.toMillis());
        return () -> {
            Connection connection = pool.getConnection();
            try {
                connection.setNetworkTimeout(Runnable::run, millis);
            } catch (SQLException | RuntimeException e) {
                connection.close();
                throw e;
            }
            return connection;
        };
    }

    /**
     * Runs each batch of refreshes {@link #REFRESH_GATHERING} after its first one fell due, so the
     * others falling due meanwhile join it (entries loaded together fall due together).
     */
    private static Executor gathering(ExecutorService threads) {
        return CompletableFuture.delayedExecutor(REFRESH_GATHERING.toMillis(), TimeUnit.MILLISECONDS, threads);
    }

    /**
     * A few daemon threads for the social graph cache's reads (first uses and refreshes), which
     * block on the pool: not the common pool (one thread on two cores, shared with everything
     * else). Half the pool at most, so they never take every connection from the requests.
     */
    private static ExecutorService refreshThreads(PostgresConfig config) {
        AtomicInteger count = new AtomicInteger();
        return Executors.newFixedThreadPool(Math.max(1, config.poolSize() / 2), task -> {
            Thread thread = new Thread(task, "pagenow-postgres-social-read-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Migrates the schema unless {@code config.migrate()} is false, then opens the pool. Both
     * start even when the database is down: requests fail with {@code StoreUnavailableException}
     * and {@link #ready()} is false until it is back, and migrations that could not reach it are
     * retried every {@link #MIGRATION_RETRY} meanwhile, every call refused until they ran.
     *
     * @throws IllegalStateException when the migration fails on a reachable database (it is left as it was)
     */
    public static PostgresStores open(PostgresConfig config) {
        return open(config, Ticker.systemTicker(), null, null);
    }

    /**
     * {@link #open(PostgresConfig)} with the social graph cache on another clock and, when not
     * null, refreshing on {@code refreshExecutor} and reading what a caller waits for on
     * {@code firstReadExecutor} (tests: on the calling thread, or when the test says).
     */
    static PostgresStores open(PostgresConfig config, Ticker ticker, Executor refreshExecutor,
                               Executor firstReadExecutor) {
        boolean migrated = true;
        if (config.migrate()) {
            try {
                Migrations.apply(config.jdbcUrl(), config.user(), config.password());
            } catch (IllegalStateException e) {
                if (!PostgresFailures.unavailable(e)) {
                    throw e;
                }
                // The database is out of reach, not wrong: start, refuse calls (503) and retry.
                LOG.warn("PostgreSQL not reachable at start: the migrations are retried every {}, calls answer 503"
                        + " until they ran", MIGRATION_RETRY);
                migrated = false;
            }
        }
        PostgresStores stores = new PostgresStores(config, new HikariDataSource(poolConfig(config)), ticker,
                refreshExecutor, firstReadExecutor);
        if (!migrated) {
            stores.migrateInBackground(config);
        }
        return stores;
    }

    /**
     * Runs the migrations until they succeed; calls are refused meanwhile. On connections of their
     * own, as at start, not the pool's: those carry the call timeouts (a second or two), which
     * would cancel a migration that rewrites a large table every time it is retried.
     */
    private void migrateInBackground(PostgresConfig config) {
        failures.migrationsPending(true);
        migrations = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "pagenow-postgres-migrate");
            thread.setDaemon(true);
            return thread;
        });
        migrations.scheduleWithFixedDelay(() -> {
            try {
                Migrations.apply(config.jdbcUrl(), config.user(), config.password());
                failures.migrationsPending(false);
                LOG.info("PostgreSQL reached: migrations applied, serving");
                migrations.shutdown();
            } catch (RuntimeException e) {
                if (PostgresFailures.unavailable(e)) {
                    LOG.debug("PostgreSQL still not reachable; migrations retried in {}", MIGRATION_RETRY);
                } else {
                    LOG.error("database migration failed; retried in {}", MIGRATION_RETRY, e);
                }
            }
        }, 0, MIGRATION_RETRY.toMillis(), TimeUnit.MILLISECONDS);
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
        // A connection checked on the way out of the pool is checked within the socket timeout, so
        // the wait for a connection and a silent one stay within the call timeout together.
        pool.setValidationTimeout(Math.min(1000, Math.min(config.connectionTimeout().toMillis(),
                config.socketTimeout().toMillis())));
        pool.setInitializationFailTimeout(-1);
        long statementMillis = config.statementTimeout().toMillis();
        int connectSeconds = (int) Math.max(1, config.connectionTimeout().toSeconds());
        pool.addDataSourceProperty("connectTimeout", connectSeconds);
        pool.addDataSourceProperty("loginTimeout", connectSeconds);
        // Whole seconds, rounded up: for what uses the pool without Jdbi (migrations retried in the
        // background); Jdbi's calls get the exact timeout (withSocketTimeout).
        pool.addDataSourceProperty("socketTimeout", (int) Math.max(1,
                (config.socketTimeout().toMillis() + 999) / 1000));
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
            // Through the circuit as a probe: /ready looks at the database itself, and its answer
            // closes (or opens) the circuit for every other call.
            return failures.probe(() -> jdbi.withHandle(h -> h.createQuery(
                            "SELECT count(*) FROM (SELECT last_seq FROM conversation_table LIMIT 0) schema_check")
                    .mapTo(Long.class)
                    .one())) == 0L;
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
            ScheduledExecutorService retrying = migrations;
            if (retrying != null) {
                retrying.shutdownNow();
            }
            conversations.close();
            if (refreshes != null) {
                refreshes.shutdownNow();
            }
        } finally {
            dataSource.close();
        }
    }
}
