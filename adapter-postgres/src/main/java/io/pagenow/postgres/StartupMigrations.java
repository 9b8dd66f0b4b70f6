package io.pagenow.postgres;

import io.pagenow.db.Migrations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The {@code db} module's migrations as {@link PostgresStores#open} runs them: once at open and,
 * when the database was out of reach then, again in the background until they ran, every call
 * refused meanwhile. On connections of their own, not the pool's: those carry the call timeouts
 * (a second or two), which would cancel a migration that rewrites a large table every time.
 */
final class StartupMigrations {

    /** Logged as the stores: these lines are what an operator sees of opening them. */
    private static final Logger LOG = LoggerFactory.getLogger(PostgresStores.class);
    /** How often migrations that could not run at start (the database was down) are tried again. */
    static final Duration MIGRATION_RETRY = Duration.ofSeconds(2);

    private StartupMigrations() {
    }

    /**
     * Migrates unless {@code config.migrate()} is false.
     *
     * @return false when the database could not be reached: the migrations are still to run
     * @throws IllegalStateException when the migration fails on a reachable database (it is left as it was)
     */
    static boolean applyAtOpen(PostgresConfig config) {
        if (!config.migrate()) {
            return true;
        }
        try {
            Migrations.apply(config.jdbcUrl(), config.user(), config.password());
            return true;
        } catch (IllegalStateException e) {
            if (!PostgresFailures.unavailable(e)) {
                throw e;
            }
            // The database is out of reach, not wrong: start, refuse calls (503) and retry.
            LOG.warn("PostgreSQL not reachable at start: the migrations are retried every {}, calls answer 503"
                    + " until they ran", MIGRATION_RETRY);
            return false;
        }
    }

    /**
     * Runs the migrations every {@link #MIGRATION_RETRY} until they succeed, {@code failures}
     * refusing every call meanwhile.
     *
     * @return the thread doing it, to stop at close
     */
    static ScheduledExecutorService retryInBackground(PostgresConfig config, PostgresFailures failures) {
        failures.migrationsPending(true);
        ScheduledExecutorService retrying = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "pagenow-postgres-migrate");
            thread.setDaemon(true);
            return thread;
        });
        retrying.scheduleWithFixedDelay(() -> {
            try {
                Migrations.apply(config.jdbcUrl(), config.user(), config.password());
                failures.migrationsPending(false);
                LOG.info("PostgreSQL reached: migrations applied, serving");
                retrying.shutdown();
            } catch (RuntimeException e) {
                if (PostgresFailures.unavailable(e)) {
                    LOG.debug("PostgreSQL still not reachable; migrations retried in {}", MIGRATION_RETRY);
                } else {
                    LOG.error("database migration failed; retried in {}", MIGRATION_RETRY, e);
                }
            }
        }, 0, MIGRATION_RETRY.toMillis(), TimeUnit.MILLISECONDS);
        return retrying;
    }
}
