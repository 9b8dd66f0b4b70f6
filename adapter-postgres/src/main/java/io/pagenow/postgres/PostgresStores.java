package io.pagenow.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.pagenow.core.chat.port.ConversationStore;
import io.pagenow.core.social.SocialGraph;
import io.pagenow.db.Migrations;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;

/**
 * The durable ports on PostgreSQL, sharing one connection pool: what a composition root opens once
 * at start and closes at shutdown.
 *
 * <p>Every call is bounded: waiting for a connection by {@link PostgresConfig#connectionTimeout()},
 * a statement by {@link PostgresConfig#statementTimeout()} (cancelled by the server) and, should
 * the server stop answering altogether, by a socket timeout a little longer. Past a bound the call
 * fails with {@code StoreUnavailableException}; the pool opens fresh connections once the
 * database is back.
 */
public final class PostgresStores implements AutoCloseable {

    /** Seconds the socket may stay silent beyond the statement timeout before the connection is dropped. */
    private static final int SOCKET_GRACE_SECONDS = 5;

    private final HikariDataSource dataSource;
    private final Jdbi jdbi;
    private final ConversationStore conversations;
    private final SocialGraph socialGraph;

    private PostgresStores(HikariDataSource dataSource) {
        this.dataSource = dataSource;
        this.jdbi = Jdbi.create(dataSource).installPlugin(new PostgresPlugin());
        this.conversations = new PostgresConversationStore(jdbi);
        this.socialGraph = new PostgresSocialGraph(jdbi);
    }

    /**
     * Migrates the schema unless {@code config.migrate()} is false, then opens the pool. The pool
     * starts even when the database is down (requests fail with {@code StoreUnavailableException}
     * and {@link #ready()} is false until it is back); a migration cannot, and throws.
     *
     * @throws IllegalStateException when the migration fails (the database is left as it was)
     */
    public static PostgresStores open(PostgresConfig config) {
        if (config.migrate()) {
            Migrations.apply(config.jdbcUrl(), config.user(), config.password());
        }
        return new PostgresStores(new HikariDataSource(poolConfig(config)));
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

    @Override
    public void close() {
        dataSource.close();
    }
}
