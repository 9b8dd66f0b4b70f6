package io.pagenow.db.testing;

import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;
import java.net.InetSocketAddress;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A schema of its own on the test database, dropped by {@link #close()}, so test classes never see
 * each other's rows. The database comes from {@code TEST_DATABASE_URL} (a JDBC URL) or from
 * {@code PGHOST}, {@code PGPORT}, {@code PGUSER}, {@code PGPASSWORD} and {@code PGDATABASE}, with
 * loopback defaults ({@code 127.0.0.1:5432}, user {@code postgres}, database {@code test}). A
 * database that cannot be reached fails the test; it is never skipped.
 */
public final class TestSchema implements AutoCloseable {

    private static final Pattern HOST_PORT = Pattern.compile("^jdbc:postgresql://([^:/?]+)(?::(\\d+))?/");

    private final String name;
    private final String baseUrl;
    private final String user;
    private final String password;

    private TestSchema(String name, String baseUrl, String user, String password) {
        this.name = name;
        this.baseUrl = baseUrl;
        this.user = user;
        this.password = password;
    }

    /** Creates a fresh, empty schema whose name starts with {@code pn_<label>_}. */
    public static TestSchema create(String label) {
        Map<String, String> env = System.getenv();
        String url = env.get("TEST_DATABASE_URL");
        if (url == null || url.isBlank()) {
            url = "jdbc:postgresql://" + env.getOrDefault("PGHOST", "127.0.0.1") + ":"
                    + env.getOrDefault("PGPORT", "5432") + "/" + env.getOrDefault("PGDATABASE", "test");
        }
        String user = env.getOrDefault("PGUSER", "postgres");
        String password = env.getOrDefault("PGPASSWORD", "");
        String name = ("pn_" + label + "_" + UUID.randomUUID().toString().substring(0, 8))
                .toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        TestSchema schema = new TestSchema(name, url, user, password);
        try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("The test PostgreSQL at " + url + " (user " + user + ") cannot be reached;"
                    + " start it or point TEST_DATABASE_URL / PGHOST / PGPORT at one: " + e.getMessage(), e);
        }
        return schema;
    }

    public String name() {
        return name;
    }

    /** A JDBC URL whose connections use this schema (and only it) by default. */
    public String jdbcUrl() {
        return baseUrl + (baseUrl.contains("?") ? "&" : "?") + "currentSchema=" + name;
    }

    /** The host and port of the test database, for tests that put something between it and a client. */
    public InetSocketAddress address() {
        Matcher m = HOST_PORT.matcher(baseUrl);
        if (!m.find()) {
            throw new IllegalStateException("cannot read host and port from " + baseUrl);
        }
        return new InetSocketAddress(m.group(1), m.group(2) == null ? 5432 : Integer.parseInt(m.group(2)));
    }

    /** {@link #jdbcUrl()} with the database reached at another host and port. */
    public String jdbcUrlAt(String host, int port) {
        return HOST_PORT.matcher(jdbcUrl()).replaceFirst("jdbc:postgresql://" + host + ":" + port + "/");
    }

    /** The URL of the same database without a schema. */
    public String databaseUrl() {
        return baseUrl;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    /** Unpooled connections on this schema. */
    public DataSource dataSource() {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(jdbcUrl());
        dataSource.setUser(user);
        dataSource.setPassword(password);
        dataSource.setConnectTimeout(5);
        return dataSource;
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), user, password);
    }

    @Override
    public void close() {
        try (Connection c = DriverManager.getConnection(baseUrl, user, password); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + name + " CASCADE");
        } catch (SQLException e) {
            throw new IllegalStateException("could not drop test schema " + name, e);
        }
    }
}
