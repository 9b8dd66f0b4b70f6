package io.pagenow.postgres;

import io.pagenow.core.error.CircuitBreaker;
import io.pagenow.core.error.StoreUnavailableException;
import org.jdbi.v3.core.ConnectionException;
import org.jdbi.v3.core.JdbiException;

import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Runs a store call and sorts what goes wrong: the database being out of reach (refused or lost
 * connection, pool exhausted, statement timeout, server shutting down or out of resources) is a
 * {@link StoreUnavailableException} the transports answer with 503; anything else is a bug in
 * this adapter or its schema and stays an {@link IllegalStateException}. Each store's calls go
 * through one circuit: after {@link #FAILURES_TO_OPEN} unavailable answers in a row they fail at
 * once for {@link #OPEN_FOR}, then one call probes, so in an outage requests are answered 503 at
 * once instead of each waiting out the connection timeout.
 */
final class PostgresFailures {

    static final String STORE = "PostgreSQL";
    static final int FAILURES_TO_OPEN = 2;
    static final Duration OPEN_FOR = Duration.ofSeconds(1);

    private final CircuitBreaker circuit;
    /** While the migrations wait for the database (it was down at start), every call is refused. */
    private volatile boolean migrationsPending;

    PostgresFailures(Clock clock) {
        this.circuit = new CircuitBreaker(STORE, FAILURES_TO_OPEN, OPEN_FOR, clock);
    }

    <T> T guard(Supplier<T> call) {
        refuseWhileMigrationsPending();
        return circuit.call(() -> sorted(call));
    }

    /** {@link #guard} for a call on plain JDBC, whose {@link SQLException} is sorted as a Jdbi call's failure is. */
    <T> T guardSql(SqlCall<T> call) {
        return guard(() -> {
            try {
                return call.run();
            } catch (SQLException e) {
                throw sortedFailure(e);
            }
        });
    }

    /** A call on plain JDBC. */
    @FunctionalInterface
    interface SqlCall<T> {
        T run() throws SQLException;
    }

    /** A readiness check: runs even while the circuit is open, and its outcome opens or closes it. */
    <T> T probe(Supplier<T> check) {
        refuseWhileMigrationsPending();
        return circuit.probe(() -> sorted(check));
    }

    void migrationsPending(boolean pending) {
        migrationsPending = pending;
    }

    private void refuseWhileMigrationsPending() {
        if (migrationsPending) {
            throw new StoreUnavailableException(STORE, new IllegalStateException("migrations not run yet"));
        }
    }

    private static <T> T sorted(Supplier<T> call) {
        try {
            return call.get();
        } catch (JdbiException e) {
            throw sortedFailure(e);
        }
    }

    private static RuntimeException sortedFailure(Exception e) {
        if (poolExhausted(e)) {
            return StoreUnavailableException.busy(STORE, e);
        }
        return unavailable(e) ? new StoreUnavailableException(STORE, e) : new IllegalStateException("PostgreSQL call failed", e);
    }

    /**
     * HikariCP's answer when every pooled connection stayed in use for the whole connection
     * timeout: the database answers, this node asks more of it than its pool serves. Hikari
     * attaches the last failure to open a connection as the cause when there was one, and then
     * the database may well be out, so only a bare timeout counts as busy. Seen under CPU
     * starvation (a connect storm on two loaded cores): counted as failures, two of them opened
     * the circuit and refused a second of sockets that only had to wait.
     */
    static boolean poolExhausted(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException timeout) {
                return timeout.getCause() == null && timeout.getNextException() == null
                        && String.valueOf(timeout.getMessage()).contains("Connection is not available");
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    static boolean unavailable(Throwable failure) {
        if (failure instanceof ConnectionException) {
            return true;
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException
                    || t instanceof SQLRecoverableException || t instanceof SQLTimeoutException
                    || t instanceof IOException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null && unavailableState(sql.getSQLState())) {
                return true;
            }
            // A batch's failure (BatchUpdateException) carries the statement's own as its next exception.
            if (t instanceof SQLException sql && sql.getNextException() != null && sql.getNextException() != t
                    && unavailable(sql.getNextException())) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    /**
     * SQLSTATE classes: 08 connection exception, 53 insufficient resources, 57 operator
     * intervention (57014: statement timeout; 57P01..03: shutdown, crash, cannot connect now),
     * 58 system error, 40001 / 40P01 a transaction the server gave up on.
     */
    private static boolean unavailableState(String state) {
        return state.startsWith("08") || state.startsWith("53") || state.startsWith("57") || state.startsWith("58")
                || state.equals("40001") || state.equals("40P01");
    }
}
