package io.pagenow.lambda;

import io.pagenow.core.delivery.Channel;
import io.pagenow.core.presence.PresenceCore;
import io.pagenow.db.DatabaseUrl;
import io.pagenow.protocol.AuthSettings;
import io.pagenow.protocol.FloodControl;
import io.pagenow.protocol.Limits;

import io.pagenow.config.ConfigurationException;
import io.pagenow.config.Environment;
import io.pagenow.config.Redaction;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Everything the Lambda handlers are configured with, read once from the environment. Accepts the
 * variable names of the server ({@code DATABASE_URL}, {@code REDIS_URL}, {@code AUTH_*}) and those
 * of the original system's {@code .env} ({@code RDS_*}, {@code REDIS_ENDPOINT_*}, {@code COGNITO_*});
 * where both are set, the server's win.
 *
 * <p>There is no development mode: Lambda containers share no memory, so the stores must be
 * PostgreSQL and Redis, and tokens must come from a real issuer.
 */
public record LambdaConfig(Database database, Redis redis, AuthSettings auth, List<String> clientOrigins,
                           Duration presenceTimeout, FloodControl floodControl, Limits limits,
                           Map<Channel, URI> managementEndpoints, String region, String functionName) {

    /** Every environment variable this class reads, for the template test and the README. */
    public static final Set<String> VARIABLES = Set.of(
            "DATABASE_URL", "DATABASE_USER", "DATABASE_PASSWORD", "DATABASE_POOL_SIZE", "SOCIAL_GRAPH_CACHE_SECONDS",
            "RDS_PROXY_HOST", "RDS_HOST", "RDS_PORT", "RDS_DB_NAME", "RDS_USERNAME", "RDS_PASSWORD",
            "REDIS_URL", "REDIS_KEY_PREFIX",
            "REDIS_ENDPOINT_ADDRESS", "REDIS_PRIMARY_ENDPOINT_ADDRESS", "REDIS_ENDPOINT_PORT",
            "REDIS_PRIMARY_ENDPOINT_PORT", "REDIS_TLS", "REDIS_USERNAME", "REDIS_PASSWORD",
            "AUTH_JWKS_URL", "AUTH_ISSUER", "AUTH_AUDIENCE", "COGNITO_REGION", "COGNITO_POOL_ID",
            "COGNITO_CLIENT_ID",
            "CLIENT_URL", "PRESENCE_TIMEOUT_SECONDS", "FLOOD_BURST", "FLOOD_REFILL_PER_SECOND",
            "GROUP_MAX_PARTICIPANTS", "ALLOW_UNKNOWN_USERS", "REST_RATE_BURST", "REST_RATE_PER_SECOND", "CHAT_WS_ENDPOINT", "PRESENCE_WS_ENDPOINT", "AWS_REGION", "AWS_LAMBDA_FUNCTION_NAME");

    /** Variables the Lambda runtime sets itself; a template cannot (and need not) set them. */
    public static final Set<String> RUNTIME_VARIABLES = Set.of("AWS_REGION", "AWS_LAMBDA_FUNCTION_NAME");

    static final int DEFAULT_POOL_SIZE = 2;

    public LambdaConfig {
        clientOrigins = List.copyOf(clientOrigins);
        managementEndpoints = Map.copyOf(managementEndpoints);
    }

    /**
     * @throws ConfigurationException naming the missing or malformed variable
     */
    public static LambdaConfig from(Map<String, String> environment) {
        Env env = new Env(new Environment(environment));
        FloodControl flood = FloodControl.from(env.shared());
        return new LambdaConfig(database(env), redis(env), auth(env), env.shared().clientOrigins(),
                env.shared().presenceTimeout(PresenceCore.DEFAULT_TIMEOUT), flood, Limits.from(env.shared(), flood),
                endpoints(env),
                region(env), env.shared().text("AWS_LAMBDA_FUNCTION_NAME").orElse("local"));
    }

    /**
     * @param poolSize            one request at a time per container, so a small pool; RDS Proxy multiplexes
     * @param socialGraphCacheTtl how long a container serves friends and share settings from memory (zero: not at all)
     */
    public record Database(String jdbcUrl, String user, String password, int poolSize, Duration socialGraphCacheTtl) {
        /** The URL's credentials and query and the password stay out of logs. */
        @Override
        public String toString() {
            return "Database[jdbcUrl=" + Redaction.url(jdbcUrl) + ", user=" + user + ", password="
                    + (password == null ? "none" : Redaction.HIDDEN) + ", poolSize=" + poolSize
                    + ", socialGraphCacheTtl=" + socialGraphCacheTtl + "]";
        }
    }

    /** @param url {@code redis://host:port/db}, or {@code rediss://} for TLS */
    public record Redis(URI url, String keyPrefix) {
        @Override
        public String toString() {
            return "Redis[url=" + Redaction.url(url.toString()) + ", keyPrefix=" + keyPrefix + "]";
        }
    }

    private static Database database(Env env) {
        Environment shared = env.shared();
        Optional<String> url = shared.databaseUrl();
        Optional<String> user = shared.databaseUser().or(() -> shared.text("RDS_USERNAME"));
        Optional<String> password = shared.databasePassword().or(() -> shared.secret("RDS_PASSWORD"));
        int poolSize = shared.databasePoolSize(DEFAULT_POOL_SIZE);
        Duration cacheTtl = shared.socialGraphCacheTtl();
        if (url.isPresent()) {
            // The same reading as the migrate command's: a JDBC URL or postgres://user:password@host/db.
            try {
                // DATABASE_USER wins over the URL's credentials, which win over the seed's RDS_USERNAME.
                DatabaseUrl parsed = DatabaseUrl.parse(url.get(), shared.databaseUser().orElse(null),
                        shared.databasePassword().orElse(null));
                return new Database(parsed.jdbcUrl(),
                        parsed.user() != null ? parsed.user() : user.orElse(null),
                        parsed.password() != null ? parsed.password() : password.orElse(null), poolSize, cacheTtl);
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException("DATABASE_URL", e.getMessage().replaceFirst("^DATABASE_URL ", ""));
            }
        }
        Optional<String> host = env.first("RDS_PROXY_HOST", "RDS_HOST");
        if (host.isEmpty()) {
            throw new ConfigurationException("DATABASE_URL", "is not set (a JDBC URL), nor RDS_PROXY_HOST (or RDS_HOST)"
                    + " with RDS_DB_NAME: no database configured; Lambda containers share no memory, so PostgreSQL"
                    + " is required");
        }
        int port = shared.integer("RDS_PORT", 5432, 1, 65535);
        String name = shared.text("RDS_DB_NAME").orElseThrow(() -> new ConfigurationException("RDS_DB_NAME",
                "must be set with " + (shared.text("RDS_PROXY_HOST").isPresent() ? "RDS_PROXY_HOST" : "RDS_HOST")));
        return new Database("jdbc:postgresql://" + host.get() + ":" + port + "/" + name,
                user.orElse(null), password.orElse(null), poolSize, cacheTtl);
    }

    private static Redis redis(Env env) {
        Environment shared = env.shared();
        String prefix = shared.redisKeyPrefix();
        Optional<URI> url = shared.redisUrl();
        if (url.isPresent()) {
            return new Redis(url.get(), prefix);
        }
        // The original .env writes 'none' for an absent ElastiCache endpoint.
        Optional<String> host = env.firstSet("REDIS_ENDPOINT_ADDRESS", "REDIS_PRIMARY_ENDPOINT_ADDRESS");
        if (host.isEmpty()) {
            throw new ConfigurationException("REDIS_URL", "is not set, nor REDIS_ENDPOINT_ADDRESS (or"
                    + " REDIS_PRIMARY_ENDPOINT_ADDRESS): no Redis configured; Lambda containers share no memory, so"
                    + " Redis is required");
        }
        int port = Stream.of("REDIS_ENDPOINT_PORT", "REDIS_PRIMARY_ENDPOINT_PORT")
                .filter(name -> env.set(name).isPresent())
                .findFirst()
                .map(name -> shared.integer(name, 6379, 1, 65535))
                .orElse(6379);
        boolean tls = shared.bool("REDIS_TLS", false);
        Optional<String> user = shared.text("REDIS_USERNAME");
        Optional<String> password = shared.secret("REDIS_PASSWORD");
        String userInfo = password.map(p -> encode(user.orElse("default")) + ":" + encode(p) + "@").orElse("");
        return new Redis(URI.create((tls ? "rediss://" : "redis://") + userInfo + host.get() + ":" + port), prefix);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static AuthSettings auth(Env env) {
        Environment shared = env.shared();
        Optional<String> audience = env.first("AUTH_AUDIENCE", "COGNITO_CLIENT_ID");
        Optional<AuthSettings> issuer = AuthSettings.fromIssuerVariables(shared, audience);
        if (issuer.isPresent()) {
            return issuer.get();
        }
        Optional<String> pool = shared.text("COGNITO_POOL_ID");
        if (pool.isEmpty()) {
            throw new ConfigurationException("AUTH_ISSUER", "is not set: no token issuer configured. Set AUTH_ISSUER"
                    + " and AUTH_JWKS_URL, or COGNITO_POOL_ID (with COGNITO_REGION); the Lambda adapter never runs in"
                    + " development mode");
        }
        // The original presence API named the Cognito region AWS_REGION; Lambda sets that one anyway.
        String region = env.first("COGNITO_REGION", "AWS_REGION").orElseThrow(() -> new ConfigurationException(
                "COGNITO_REGION", "must be set with COGNITO_POOL_ID"));
        return AuthSettings.cognito(region, pool.get(), audience);
    }

    private static Map<Channel, URI> endpoints(Env env) {
        Map<Channel, URI> endpoints = new EnumMap<>(Channel.class);
        env.httpUri("CHAT_WS_ENDPOINT").ifPresent(v -> endpoints.put(Channel.CHAT, v));
        env.httpUri("PRESENCE_WS_ENDPOINT").ifPresent(v -> endpoints.put(Channel.PRESENCE, v));
        return endpoints;
    }

    private static String region(Env env) {
        return env.first("AWS_REGION", "COGNITO_REGION").orElseThrow(() -> new ConfigurationException("AWS_REGION",
                "is not set (the Lambda runtime sets it; set it when running elsewhere)"));
    }

    /** The shared reader, with the original system's fallbacks and its 'none'. */
    private record Env(Environment shared) {

        Optional<String> first(String name, String fallback) {
            return shared.text(name).or(() -> shared.text(fallback));
        }

        /** As {@link Environment#text}, with the original .env's {@code none} meaning absent. */
        Optional<String> set(String name) {
            return shared.text(name).filter(v -> !v.equalsIgnoreCase("none"));
        }

        Optional<String> firstSet(String name, String fallback) {
            return set(name).or(() -> set(fallback));
        }

        Optional<URI> httpUri(String name) {
            Optional<URI> uri = shared.url(name);
            uri.ifPresent(u -> {
                if (!"https".equals(u.getScheme()) && !"http".equals(u.getScheme())) {
                    throw new ConfigurationException(name, "must be an https:// URL (https://{api-id}.execute-api."
                            + "{region}.amazonaws.com/{stage})");
                }
            });
            return uri;
        }
    }
}
