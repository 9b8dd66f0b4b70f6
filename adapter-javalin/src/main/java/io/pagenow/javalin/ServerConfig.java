package io.pagenow.javalin;

import io.pagenow.config.ConfigurationException;
import io.pagenow.config.Environment;
import io.pagenow.config.Redaction;
import io.pagenow.core.presence.PresenceCore;
import io.pagenow.protocol.AuthSettings;
import io.pagenow.protocol.FloodControl;
import io.pagenow.protocol.Limits;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
 * @param limits        the abuse limits ({@link Limits#from})
 * @param webClient     whether the web client's static files are served at {@code /}
 */
public record ServerConfig(String host, int port, Optional<AuthSettings> auth, List<String> clientOrigins,
                           Duration presenceTimeout, Duration presenceSweepInterval, Optional<Path> seedFile,
                           FloodControl floodControl, String nodeId, Optional<DatabaseSettings> database,
                           Optional<RedisSettings> redis, Limits limits, boolean webClient) {

    /** {@code REDIS_KEY_PREFIX} when unset. */
    public static final String DEFAULT_REDIS_KEY_PREFIX = Environment.DEFAULT_REDIS_KEY_PREFIX;

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

    /**
     * Reads the variables the README lists; a malformed value fails the start with a
     * {@link ConfigurationException} naming the variable. The variables the Lambda functions also
     * read are read by the shared {@link Environment}, so they mean the same in both.
     */
    public static ServerConfig fromEnvironment(Map<String, String> variables) {
        Environment env = new Environment(variables);
        Optional<AuthSettings> auth = auth(env);
        String host = env.text("HOST").orElse(auth.isEmpty() ? "127.0.0.1" : "0.0.0.0");
        FloodControl flood = FloodControl.from(env);
        return new ServerConfig(host,
                env.integer("PORT", 8080, 0, 65535),
                auth,
                env.clientOrigins(),
                env.presenceTimeout(PresenceCore.DEFAULT_TIMEOUT),
                Duration.ofSeconds(env.integer("PRESENCE_SWEEP_SECONDS", 30, 1, Environment.MAX_SECONDS)),
                env.text("SEED_FILE").map(Path::of),
                flood,
                env.text("NODE_ID").orElseGet(() -> "node-" + UUID.randomUUID()),
                database(env),
                redis(env),
                Limits.from(env, flood),
                env.bool("WEB_CLIENT", auth.isEmpty()));
    }

    private static Optional<RedisSettings> redis(Environment env) {
        Optional<URI> url = env.redisUrl();
        if (url.isEmpty()) {
            return Optional.empty();
        }
        int poolSize = env.integer("REDIS_POOL_SIZE", RedisSettings.DEFAULT_POOL_SIZE, 2, RedisSettings.MAX_POOL_SIZE);
        return Optional.of(new RedisSettings(url.get().toString(), env.redisKeyPrefix(), poolSize));
    }

    private static Optional<DatabaseSettings> database(Environment env) {
        Optional<String> url = env.databaseUrl();
        if (url.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new DatabaseSettings(url.get(), env.databaseUser().orElse(null),
                env.databasePassword().orElse(null), env.databasePoolSize(DatabaseSettings.DEFAULT_POOL_SIZE),
                env.bool("DATABASE_MIGRATE", true),
                env.socialGraphCacheTtl()));
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

        public DatabaseSettings {
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(socialGraphCacheTtl, "socialGraphCacheTtl");
        }

        /** Credentials and URL parameters stay out of logs. */
        @Override
        public String toString() {
            return "DatabaseSettings[url=" + Redaction.url(url) + ", user=" + user + ", poolSize=" + poolSize
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
            return "RedisSettings[url=" + Redaction.url(url) + ", keyPrefix=" + keyPrefix + ", poolSize=" + poolSize
                    + "]";
        }
    }

    private static Optional<AuthSettings> auth(Environment env) {
        Optional<AuthSettings> issuer = AuthSettings.fromIssuerVariables(env, env.text("AUTH_AUDIENCE"));
        if (issuer.isPresent() || !env.together("COGNITO_REGION", "COGNITO_POOL_ID")) {
            return issuer;
        }
        return Optional.of(AuthSettings.cognito(env.text("COGNITO_REGION").orElseThrow(),
                env.text("COGNITO_POOL_ID").orElseThrow(), env.text("COGNITO_CLIENT_ID")));
    }
}
