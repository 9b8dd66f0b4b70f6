package io.pagenow.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * PostgreSQL through its own client. The benchmark owns one database ({@link #database}); it
 * creates and drops only that database and, inside it, its own schemas. Public for the JMH
 * benchmark on the PostgreSQL adapter, which owns a database the same way.
 */
public record Psql(String host, int port, String user, String password, String database) {

    /** The server of {@code PGHOST}/{@code PGPORT}/{@code PGUSER}/{@code PGPASSWORD}, loopback 5432 as postgres by default. */
    public static Psql fromEnvironment(Map<String, String> env, String database) {
        return new Psql(env.getOrDefault("PGHOST", "127.0.0.1"), Integer.parseInt(env.getOrDefault("PGPORT", "5432")),
                env.getOrDefault("PGUSER", "postgres"), env.getOrDefault("PGPASSWORD", ""), database);
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    Map<String, String> env() {
        return password.isEmpty() ? Map.of() : Map.of("PGPASSWORD", password);
    }

    /** Runs SQL in the benchmark's database and returns its unaligned, tuples-only output. */
    String sql(String sql) {
        return sqlIn(database, sql);
    }

    String sqlIn(String db, String sql) {
        List<String> command = new ArrayList<>(List.of("psql", "-h", host, "-p", String.valueOf(port), "-U", user,
                "-d", db, "-v", "ON_ERROR_STOP=1", "-X", "-q", "-t", "-A", "-f", "-"));
        return Command.run(command, env(), sql, Duration.ofMinutes(10)).orFail(command).strip();
    }

    boolean reachable() {
        List<String> command = List.of("pg_isready", "-q", "-h", host, "-p", String.valueOf(port));
        return Command.run(command, env(), null, Duration.ofSeconds(10)).exitCode() == 0;
    }

    /** Drops and creates the benchmark's own database: every back-end run starts empty. */
    public void recreateDatabase() {
        sqlIn("postgres", "DROP DATABASE IF EXISTS " + database + " WITH (FORCE);");
        sqlIn("postgres", "CREATE DATABASE " + database + ";");
    }

    void ensureDatabase() {
        String exists = sqlIn("postgres", "SELECT 1 FROM pg_database WHERE datname = '" + database + "';");
        if (!exists.equals("1")) {
            sqlIn("postgres", "CREATE DATABASE " + database + ";");
        }
    }

    public void dropDatabase() {
        sqlIn("postgres", "DROP DATABASE IF EXISTS " + database + " WITH (FORCE);");
    }
}
