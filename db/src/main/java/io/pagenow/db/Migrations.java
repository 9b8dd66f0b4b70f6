package io.pagenow.db;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;
import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;

/**
 * Brings a PostgreSQL schema to this project's latest version: an empty one, or one holding the
 * original system's tables, which is upgraded in place. Safe to run on every start and from
 * several nodes at once (Flyway serialises them with an advisory lock); a second run changes
 * nothing.
 */
public final class Migrations {

    /** Seconds to wait for a connection: a migration that cannot reach the database fails instead of hanging. */
    private static final int CONNECT_TIMEOUT_SECONDS = 5;

    private Migrations() {
    }

    /**
     * Migrates the schema the data source's connections use by default (their {@code search_path}).
     *
     * @return how many migrations ran (0 when the schema was up to date)
     * @throws IllegalStateException when a migration fails; its transaction is rolled back
     */
    public static int apply(DataSource dataSource) {
        Flyway flyway = Flyway.configure(Migrations.class.getClassLoader())
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                // A schema that already holds tables (the original system's) has no history table
                // yet: record it at version 0, below V1, so V1 and V2 run on it as on an empty one.
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .baselineDescription("existing schema")
                .failOnMissingLocations(true)
                .load();
        try {
            MigrateResult result = flyway.migrate();
            return result.migrationsExecuted;
        } catch (FlywayException e) {
            throw new IllegalStateException("database migration failed: " + e.getMessage(), e);
        }
    }

    /**
     * Migrates through a connection of its own, without the pool's statement and socket timeouts,
     * since upgrading a large original database takes longer than any request may.
     */
    public static int apply(String jdbcUrl, String user, String password) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(jdbcUrl);
        if (user != null) {
            dataSource.setUser(user);
        }
        if (password != null) {
            dataSource.setPassword(password);
        }
        dataSource.setConnectTimeout(CONNECT_TIMEOUT_SECONDS);
        dataSource.setLoginTimeout(CONNECT_TIMEOUT_SECONDS);
        return apply(dataSource);
    }
}
