package io.pagenow.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.jdbi.v3.core.ConnectionFactory;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementExceptions;
import org.jdbi.v3.postgres.PostgresPlugin;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

/**
 * The HikariCP pool the stores share and the Jdbi over it, set so that every call keeps the bounds
 * of {@link PostgresConfig} (connection wait, statement, silent server) and no failure quotes the
 * values it was given.
 */
final class PostgresPool {

    private PostgresPool() {
    }

    /** Starts even when the database is down: the pool keeps trying, and calls fail meanwhile. */
    static HikariDataSource open(PostgresConfig config) {
        return new HikariDataSource(settings(config));
    }

    static Jdbi jdbi(HikariDataSource pool, PostgresConfig config) {
        Jdbi jdbi = Jdbi.create(withSocketTimeout(pool, config.socketTimeout())).installPlugin(new PostgresPlugin());
        // A failed statement's message would quote its arguments, message contents among them.
        jdbi.getConfig(StatementExceptions.class).setMessageRendering(StatementExceptions.MessageRendering.NONE);
        return jdbi;
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

    private static HikariConfig settings(PostgresConfig config) {
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
}
