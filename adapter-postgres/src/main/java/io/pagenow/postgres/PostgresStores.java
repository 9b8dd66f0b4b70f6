package io.pagenow.postgres;

import com.github.benmanes.caffeine.cache.Ticker;
import com.zaxxer.hikari.HikariDataSource;
import io.pagenow.core.chat.port.out.ConversationStore;
import io.pagenow.core.social.port.out.SocialGraph;
import org.jdbi.v3.core.Jdbi;

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
    /** Retries the migrations when the database was down at start; null otherwise. */
    private volatile ScheduledExecutorService migrations;
    /**
     * How long a due refresh of the social graph cache waits for others to share its query, as a
     * part of the TTL: a change then shows within 1.2 TTL instead of 1 TTL, and the refreshes of
     * every user in use are a handful of queries a TTL. (At 50 ms, 2,000 users on a 5 s TTL made
     * 40 queries a second of about 20 users each, some 9% of the server's CPU samples in a presence
     * run at 10,000 updates a second.)
     */
    static final int REFRESH_GATHERING_PER_TTL = 5;
    /** Runs the social graph cache's background reads; null without the cache. */
    private final ExecutorService refreshes;

    private PostgresStores(PostgresConfig config, HikariDataSource dataSource, Ticker ticker,
                           Executor refreshExecutor, Executor firstReadExecutor) {
        this.dataSource = dataSource;
        this.jdbi = PostgresPool.jdbi(dataSource, config);
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
                    refreshExecutor == null ? gathering(refreshes, config.socialGraphCacheTtl()) : refreshExecutor,
                    refreshExecutor == null ? refreshes : firstReadExecutor, config.callTimeout());
        }
    }

    /**
     * Runs each batch of refreshes a {@linkplain #REFRESH_GATHERING_PER_TTL part of the TTL} after its
     * first one fell due, so the others falling due meanwhile join it.
     */
    private static Executor gathering(ExecutorService threads, Duration ttl) {
        return CompletableFuture.delayedExecutor(ttl.dividedBy(REFRESH_GATHERING_PER_TTL).toMillis(), TimeUnit.MILLISECONDS,
                threads);
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
     * retried every {@link StartupMigrations#MIGRATION_RETRY} meanwhile, every call refused until they ran.
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
        boolean migrated = StartupMigrations.applyAtOpen(config);
        PostgresStores stores = new PostgresStores(config, PostgresPool.open(config), ticker, refreshExecutor,
                firstReadExecutor);
        if (!migrated) {
            stores.migrations = StartupMigrations.retryInBackground(config, stores.failures);
        }
        return stores;
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
