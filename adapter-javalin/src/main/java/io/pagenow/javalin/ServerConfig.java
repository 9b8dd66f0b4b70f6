package io.pagenow.javalin;

import io.pagenow.protocol.AuthSettings;
import io.pagenow.protocol.FloodControl;
import io.pagenow.protocol.Limits;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Everything the server is configured with, read once from the environment by {@link Main}.
 * Nothing else reads the environment.
 *
 * @param host          the address to listen on
 * @param port          0 picks a free port (tests)
 * @param auth          the real token issuer; empty means development mode with a local issuer
 * @param clientOrigins origins allowed by CORS; empty means any origin in development mode, none otherwise
 * @param seedFile      the social graph from a file; only without a database
 * @param nodeId        this process among the nodes sharing the live stores; every connection it
 *                      holds carries it, and with Redis it is the node's relay address
 * @param database      PostgreSQL for conversations, messages and the social graph; empty: in memory
 * @param redis         Redis for connections and presence, shared by every node; empty: in memory
 * @param limits        the abuse limits ({@link Limits#fromEnvironment})
 */
public record ServerConfig(String host, int port, Optional<AuthSettings> auth, List<String> clientOrigins,
                           Duration presenceTimeout, Duration presenceSweepInterval, Optional<Path> seedFile,
                           FloodControl floodControl, String nodeId, Optional<DatabaseSettings> database,
                           Optional<RedisSettings> redis, Limits limits) {

    /** {@code REDIS_KEY_PREFIX} when unset. */
    public static final String DEFAULT_REDIS_KEY_PREFIX = "pagenow:";

    public ServerConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(auth, "auth");
        clientOrigins = List.copyOf(clientOrigins);
        Objects.requireNonNull(seedFile, "seedFile");
        Objects.requireNonNull(floodControl, "floodControl");
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(redis, "redis");
        Objects.requireNonNull(limits, "limits");
        if (nodeId.isBlank() || nodeId.length() > 200) {
            throw new IllegalArgumentException("NODE_ID must be 1 to 200 characters");
        }
        if (seedFile.isPresent() && database.isPresent()) {
            throw new IllegalArgumentException("SEED_FILE cannot be used with DATABASE_URL: the social graph then comes"
                    + " from the database's user_table and friendship_table");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("PORT must be 0..65535, was " + port);
        }
        if (presenceTimeout.isNegative() || presenceTimeout.isZero()) {
            throw new IllegalArgumentException("PRESENCE_TIMEOUT_SECONDS must be positive");
        }
        if (presenceSweepInterval.isNegative() || presenceSweepInterval.isZero()) {
            throw new IllegalArgumentException("PRESENCE_SWEEP_SECONDS must be positive");
        }
    }

    /** No real issuer: a local one signs tokens, and the demo data is used. */
    public boolean developmentMode() {
        return auth.isEmpty();
    }

    /** Reads the variables the README lists; a malformed value fails the start, naming the variable. */
    public static ServerConfig fromEnvironment(Map<String, String> env) {
        Optional<AuthSettings> auth = auth(env);
        String host = value(env, "HOST").orElse(auth.isEmpty() ? "127.0.0.1" : "0.0.0.0");
        List<String> origins = value(env, "CLIENT_URL")
                .map(v -> Arrays.stream(v.split(",")).map(String::strip).filter(s -> !s.isEmpty())
                        .map(ServerConfig::origin).toList())
                .orElse(List.of());
        int burst = integer(env, "FLOOD_BURST", FloodControl.DEFAULT.burst());
        double refill = decimal(env, "FLOOD_REFILL_PER_SECOND", FloodControl.DEFAULT.refillPerSecond());
        if (burst < 1) {
            throw new IllegalArgumentException("FLOOD_BURST must be at least 1, was " + burst);
        }
        if (!(refill > 0) || Double.isInfinite(refill)) {
            throw new IllegalArgumentException("FLOOD_REFILL_PER_SECOND must be a positive number, was " + refill);
        }
        FloodControl flood = new FloodControl(burst, refill);
        return new ServerConfig(host,
                integer(env, "PORT", 8080),
                auth,
                origins,
                Duration.ofSeconds(integer(env, "PRESENCE_TIMEOUT_SECONDS", 180)),
                Duration.ofSeconds(integer(env, "PRESENCE_SWEEP_SECONDS", 30)),
                value(env, "SEED_FILE").map(Path::of),
                flood,
                value(env, "NODE_ID").orElseGet(() -> "node-" + UUID.randomUUID()),
                database(env),
                redis(env),
                Limits.fromEnvironment(env));
    }

    private static Optional<RedisSettings> redis(Map<String, String> env) {
        Optional<String> url = value(env, "REDIS_URL");
        if (url.isEmpty()) {
            return Optional.empty();
        }
        int poolSize = integer(env, "REDIS_POOL_SIZE", RedisSettings.DEFAULT_POOL_SIZE);
        if (poolSize < 2 || poolSize > RedisSettings.MAX_POOL_SIZE) {
            throw new IllegalArgumentException("REDIS_POOL_SIZE must be 2.." + RedisSettings.MAX_POOL_SIZE
                    + ", was " + poolSize);
        }
        return Optional.of(new RedisSettings(url.get(), value(env, "REDIS_KEY_PREFIX").orElse(DEFAULT_REDIS_KEY_PREFIX),
                poolSize));
    }

    private static Optional<DatabaseSettings> database(Map<String, String> env) {
        Optional<String> url = value(env, "DATABASE_URL");
        if (url.isEmpty()) {
            return Optional.empty();
        }
        int poolSize = integer(env, "DATABASE_POOL_SIZE", DatabaseSettings.DEFAULT_POOL_SIZE);
        if (poolSize < 1) {
            throw new IllegalArgumentException("DATABASE_POOL_SIZE must be at least 1, was " + poolSize);
        }
        int cacheSeconds = integer(env, "SOCIAL_GRAPH_CACHE_SECONDS", DatabaseSettings.DEFAULT_SOCIAL_GRAPH_CACHE_SECONDS);
        if (cacheSeconds < 0) {
            throw new IllegalArgumentException("SOCIAL_GRAPH_CACHE_SECONDS must be 0 (no cache) or more, was "
                    + cacheSeconds);
        }
        return Optional.of(new DatabaseSettings(url.get(), value(env, "DATABASE_USER").orElse(null),
                // A password may legitimately start or end with blanks: taken as given.
                Optional.ofNullable(env.get("DATABASE_PASSWORD")).filter(p -> !p.isEmpty()).orElse(null),
                poolSize, bool(env, "DATABASE_MIGRATE", true), Duration.ofSeconds(cacheSeconds)));
    }

    /**
     * Where PostgreSQL is ({@code DATABASE_*}).
     *
     * @param url      a JDBC URL or {@code postgres://user:password@host:port/db}
     * @param user     null: from the URL
     * @param password null: from the URL
     * @param migrate  whether the migrations run at start
     * @param socialGraphCacheTtl how long friends and share settings are served from memory (zero: not at all)
     */
    public record DatabaseSettings(String url, String user, String password, int poolSize, boolean migrate,
                                   Duration socialGraphCacheTtl) {

        public static final int DEFAULT_POOL_SIZE = 10;
        /** The PostgreSQL adapter's own default; this package may not name it (see ArchitectureTest). */
        public static final int DEFAULT_SOCIAL_GRAPH_CACHE_SECONDS = 5;

        public DatabaseSettings {
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(socialGraphCacheTtl, "socialGraphCacheTtl");
        }

        /** Credentials and URL parameters stay out of logs. */
        @Override
        public String toString() {
            return "DatabaseSettings[url=" + withoutSecrets(url) + ", user=" + user + ", poolSize=" + poolSize
                    + ", migrate=" + migrate + ", socialGraphCacheTtl=" + socialGraphCacheTtl + "]";
        }
    }

    /**
     * Where Redis is ({@code REDIS_*}).
     *
     * @param url       {@code redis://[user:password@]host:port[/db]} or {@code rediss://} for TLS
     * @param keyPrefix in front of every key and channel
     * @param poolSize  connections in the pool ({@code REDIS_POOL_SIZE})
     */
    public record RedisSettings(String url, String keyPrefix, int poolSize) {

        /**
         * As many connections as Jetty has threads (Javalin's pool: at most 250), so no request or
         * socket handler waits for a connection another one holds: with 32, a connect storm drained
         * the pool and upgrades were answered 503. Connections are opened as needed, not at start.
         */
        public static final int DEFAULT_POOL_SIZE = 250;
        /** Redis serves 10,000 clients by default, shared by every node. */
        public static final int MAX_POOL_SIZE = 2_000;

        public RedisSettings {
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(keyPrefix, "keyPrefix");
        }

        /** The password in the URL stays out of logs. */
        @Override
        public String toString() {
            return "RedisSettings[url=" + withoutSecrets(url) + ", keyPrefix=" + keyPrefix + ", poolSize=" + poolSize
                    + "]";
        }
    }

    /** A URL without user info and query, which may hold credentials. */
    private static String withoutSecrets(String url) {
        String text = url.replaceFirst("//[^/@]*@", "//");
        int query = text.indexOf('?');
        return query < 0 ? text : text.substring(0, query);
    }

    private static Optional<AuthSettings> auth(Map<String, String> env) {
        Optional<String> jwks = value(env, "AUTH_JWKS_URL");
        Optional<String> issuer = value(env, "AUTH_ISSUER");
        if (jwks.isPresent() || issuer.isPresent()) {
            if (jwks.isEmpty() || issuer.isEmpty()) {
                throw new IllegalArgumentException("AUTH_JWKS_URL and AUTH_ISSUER must be set together");
            }
            return Optional.of(new AuthSettings(uri("AUTH_JWKS_URL", jwks.get()), issuer.get(),
                    value(env, "AUTH_AUDIENCE")));
        }
        Optional<String> region = value(env, "COGNITO_REGION");
        Optional<String> pool = value(env, "COGNITO_POOL_ID");
        if (region.isPresent() || pool.isPresent()) {
            if (region.isEmpty() || pool.isEmpty()) {
                throw new IllegalArgumentException("COGNITO_REGION and COGNITO_POOL_ID must be set together");
            }
            return Optional.of(AuthSettings.cognito(region.get(), pool.get(), value(env, "COGNITO_CLIENT_ID")));
        }
        return Optional.empty();
    }

    private static Optional<String> value(Map<String, String> env, String name) {
        return Optional.ofNullable(env.get(name)).map(String::strip).filter(v -> !v.isEmpty());
    }

    private static int integer(Map<String, String> env, String name, int defaultValue) {
        Optional<String> text = value(env, name);
        try {
            return text.map(Integer::parseInt).orElse(defaultValue);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be an integer, was '" + text.get() + "'");
        }
    }

    private static boolean bool(Map<String, String> env, String name, boolean defaultValue) {
        Optional<String> text = value(env, name);
        if (text.isEmpty()) {
            return defaultValue;
        }
        return switch (text.get().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(name + " must be true or false, was '" + text.get() + "'");
        };
    }

    private static double decimal(Map<String, String> env, String name, double defaultValue) {
        Optional<String> text = value(env, name);
        try {
            return text.map(Double::parseDouble).orElse(defaultValue);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number, was '" + text.get() + "'");
        }
    }

    private static URI uri(String name, String text) {
        try {
            URI uri = URI.create(text);
            if (uri.getScheme() == null || uri.getHost() == null) {
                throw new IllegalArgumentException("no scheme or host");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + " must be an absolute URL, was '" + text + "'");
        }
    }

    /** Browsers send the origin without a path or trailing slash; a configured URL may carry either. */
    private static String origin(String url) {
        URI uri = uri("CLIENT_URL", url);
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() == -1 ? "" : ":" + uri.getPort());
    }
}
