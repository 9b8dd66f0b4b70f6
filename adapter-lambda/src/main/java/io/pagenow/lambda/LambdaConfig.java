package io.pagenow.lambda;

import io.pagenow.core.delivery.Channel;
import io.pagenow.core.presence.PresenceCore;
import io.pagenow.db.DatabaseUrl;
import io.pagenow.protocol.AuthSettings;
import io.pagenow.protocol.FloodControl;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Arrays;
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
                           Duration presenceTimeout, FloodControl floodControl, Map<Channel, URI> managementEndpoints,
                           String region) {

    /** Every environment variable this class reads, for the template test and the README. */
    public static final Set<String> VARIABLES = Set.of(
            "DATABASE_URL", "DATABASE_USER", "DATABASE_PASSWORD", "DATABASE_POOL_SIZE", "SOCIAL_GRAPH_CACHE_SECONDS",
            "RDS_PROXY_HOST", "RDS_HOST", "RDS_PORT", "RDS_DB_NAME", "RDS_USERNAME", "RDS_PASSWORD",
            "REDIS_URL", "REDIS_KEY_PREFIX",
            "REDIS_ENDPOINT_ADDRESS", "REDIS_PRIMARY_ENDPOINT_ADDRESS", "REDIS_ENDPOINT_PORT",
            "REDIS_PRIMARY_ENDPOINT_PORT",
            "AUTH_JWKS_URL", "AUTH_ISSUER", "AUTH_AUDIENCE", "COGNITO_REGION", "COGNITO_POOL_ID",
            "COGNITO_CLIENT_ID",
            "CLIENT_URL", "PRESENCE_TIMEOUT_SECONDS", "FLOOD_BURST", "FLOOD_REFILL_PER_SECOND", "CHAT_WS_ENDPOINT", "PRESENCE_WS_ENDPOINT", "AWS_REGION");

    /** Variables the Lambda runtime sets itself; a template cannot (and need not) set them. */
    public static final Set<String> RUNTIME_VARIABLES = Set.of("AWS_REGION");

    static final int DEFAULT_POOL_SIZE = 2;
    static final String DEFAULT_KEY_PREFIX = "pagenow:";

    public LambdaConfig {
        clientOrigins = List.copyOf(clientOrigins);
        managementEndpoints = Map.copyOf(managementEndpoints);
    }

    /**
     * @throws IllegalStateException naming the missing or malformed variable
     */
    public static LambdaConfig from(Map<String, String> environment) {
        Env env = new Env(environment);
        return new LambdaConfig(database(env), redis(env), auth(env), origins(env), presenceTimeout(env),
                floodControl(env), endpoints(env), region(env));
    }

    /**
     * @param poolSize            one request at a time per container, so a small pool; RDS Proxy multiplexes
     * @param socialGraphCacheTtl how long a container serves friends and share settings from memory (zero: not at all)
     */
    public record Database(String jdbcUrl, String user, String password, int poolSize, Duration socialGraphCacheTtl) {
        @Override
        public String toString() {
            return "Database[jdbcUrl=" + jdbcUrl + ", user=" + user + ", password=***, poolSize=" + poolSize
                    + ", socialGraphCacheTtl=" + socialGraphCacheTtl + "]";
        }
    }

    /** The PostgreSQL adapter's own default; only LambdaContainer may name that module. */
    static final int DEFAULT_SOCIAL_GRAPH_CACHE_SECONDS = 5;

    /** @param url {@code redis://host:port/db}, or {@code rediss://} for TLS */
    public record Redis(URI url, String keyPrefix) {
        @Override
        public String toString() {
            String shown = url.getUserInfo() == null ? url.toString() : url.toString().replace(url.getRawUserInfo(), "***");
            return "Redis[url=" + shown + ", keyPrefix=" + keyPrefix + "]";
        }
    }

    private static Database database(Env env) {
        Optional<String> url = env.get("DATABASE_URL");
        Optional<String> user = env.first("DATABASE_USER", "RDS_USERNAME");
        Optional<String> password = env.first("DATABASE_PASSWORD", "RDS_PASSWORD");
        int poolSize = env.integer("DATABASE_POOL_SIZE", DEFAULT_POOL_SIZE, 1, 50);
        Duration cacheTtl = Duration.ofSeconds(env.integer("SOCIAL_GRAPH_CACHE_SECONDS",
                DEFAULT_SOCIAL_GRAPH_CACHE_SECONDS, 0, 86_400));
        if (url.isPresent()) {
            // The same reading as the migrate command's: a JDBC URL or postgres://user:password@host/db.
            try {
                // DATABASE_USER wins over the URL's credentials, which win over the seed's RDS_USERNAME.
                DatabaseUrl parsed = DatabaseUrl.parse(url.get(), env.get("DATABASE_USER").orElse(null),
                        env.get("DATABASE_PASSWORD").orElse(null));
                return new Database(parsed.jdbcUrl(),
                        parsed.user() != null ? parsed.user() : user.orElse(null),
                        parsed.password() != null ? parsed.password() : password.orElse(null), poolSize, cacheTtl);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(e.getMessage().contains("DATABASE_URL") ? e.getMessage()
                        : "DATABASE_URL: " + e.getMessage());
            }
        }
        Optional<String> host = env.first("RDS_PROXY_HOST", "RDS_HOST");
        if (host.isEmpty()) {
            throw new IllegalStateException("No database configured: set DATABASE_URL (a JDBC URL), or RDS_PROXY_HOST"
                    + " (or RDS_HOST) with RDS_DB_NAME; Lambda containers share no memory, so PostgreSQL is required");
        }
        int port = env.integer("RDS_PORT", 5432, 1, 65535);
        String name = env.get("RDS_DB_NAME").orElseThrow(() -> new IllegalStateException(
                "RDS_DB_NAME must be set with " + (env.get("RDS_PROXY_HOST").isPresent() ? "RDS_PROXY_HOST" : "RDS_HOST")));
        return new Database("jdbc:postgresql://" + host.get() + ":" + port + "/" + name,
                user.orElse(null), password.orElse(null), poolSize, cacheTtl);
    }

    private static Redis redis(Env env) {
        String prefix = env.get("REDIS_KEY_PREFIX").orElse(DEFAULT_KEY_PREFIX);
        Optional<String> url = env.get("REDIS_URL");
        if (url.isPresent()) {
            URI uri = env.uri("REDIS_URL", url.get());
            if (!"redis".equals(uri.getScheme()) && !"rediss".equals(uri.getScheme())) {
                throw new IllegalStateException("REDIS_URL must start with redis:// or rediss://");
            }
            return new Redis(uri, prefix);
        }
        // The original .env writes 'none' for an absent ElastiCache endpoint.
        Optional<String> host = env.firstSet("REDIS_ENDPOINT_ADDRESS", "REDIS_PRIMARY_ENDPOINT_ADDRESS");
        if (host.isEmpty()) {
            throw new IllegalStateException("No Redis configured: set REDIS_URL, or REDIS_ENDPOINT_ADDRESS (or"
                    + " REDIS_PRIMARY_ENDPOINT_ADDRESS); Lambda containers share no memory, so Redis is required");
        }
        int port = Stream.of("REDIS_ENDPOINT_PORT", "REDIS_PRIMARY_ENDPOINT_PORT")
                .filter(name -> env.set(name).isPresent())
                .findFirst()
                .map(name -> env.integer(name, 6379, 1, 65535))
                .orElse(6379);
        return new Redis(URI.create("redis://" + host.get() + ":" + port), prefix);
    }

    private static AuthSettings auth(Env env) {
        Optional<String> audience = env.first("AUTH_AUDIENCE", "COGNITO_CLIENT_ID");
        Optional<String> issuer = env.get("AUTH_ISSUER");
        if (issuer.isPresent()) {
            String jwks = env.get("AUTH_JWKS_URL").orElseThrow(() -> new IllegalStateException(
                    "AUTH_JWKS_URL must be set with AUTH_ISSUER"));
            return new AuthSettings(env.uri("AUTH_JWKS_URL", jwks), issuer.get(), audience);
        }
        Optional<String> pool = env.get("COGNITO_POOL_ID");
        if (pool.isEmpty()) {
            throw new IllegalStateException("No token issuer configured: set AUTH_ISSUER and AUTH_JWKS_URL, or"
                    + " COGNITO_POOL_ID (with COGNITO_REGION); the Lambda adapter never runs in development mode");
        }
        // The original presence API named the Cognito region AWS_REGION; Lambda sets that one anyway.
        String region = env.first("COGNITO_REGION", "AWS_REGION").orElseThrow(() -> new IllegalStateException(
                "COGNITO_REGION must be set with COGNITO_POOL_ID"));
        return AuthSettings.cognito(region, pool.get(), audience);
    }

    private static List<String> origins(Env env) {
        return env.get("CLIENT_URL")
                .map(value -> Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty())
                        .map(LambdaConfig::withoutTrailingSlash).toList())
                .orElse(List.of());
    }

    private static Duration presenceTimeout(Env env) {
        long seconds = env.integer("PRESENCE_TIMEOUT_SECONDS", (int) PresenceCore.DEFAULT_TIMEOUT.toSeconds(),
                10, 86_400);
        return Duration.ofSeconds(seconds);
    }

    private static FloodControl floodControl(Env env) {
        int burst = env.integer("FLOOD_BURST", FloodControl.DEFAULT.burst(), 1, 100_000);
        double refill = env.get("FLOOD_REFILL_PER_SECOND").map(value -> {
            try {
                double parsed = Double.parseDouble(value);
                if (!(parsed > 0) || Double.isInfinite(parsed)) {
                    throw new IllegalStateException("FLOOD_REFILL_PER_SECOND must be a positive number");
                }
                return parsed;
            } catch (NumberFormatException e) {
                throw new IllegalStateException("FLOOD_REFILL_PER_SECOND must be a number, was '" + value + "'");
            }
        }).orElse(FloodControl.DEFAULT.refillPerSecond());
        return new FloodControl(burst, refill);
    }

    private static Map<Channel, URI> endpoints(Env env) {
        Map<Channel, URI> endpoints = new EnumMap<>(Channel.class);
        env.get("CHAT_WS_ENDPOINT").ifPresent(v -> endpoints.put(Channel.CHAT, env.httpUri("CHAT_WS_ENDPOINT", v)));
        env.get("PRESENCE_WS_ENDPOINT").ifPresent(v ->
                endpoints.put(Channel.PRESENCE, env.httpUri("PRESENCE_WS_ENDPOINT", v)));
        return endpoints;
    }

    private static String region(Env env) {
        return env.first("AWS_REGION", "COGNITO_REGION").orElseThrow(() -> new IllegalStateException(
                "AWS_REGION is not set (the Lambda runtime sets it; set it when running elsewhere)"));
    }

    /** Browsers send an Origin without a trailing slash; a CLIENT_URL copied from the address bar may have one. */
    private static String withoutTrailingSlash(String origin) {
        return origin.endsWith("/") ? origin.substring(0, origin.length() - 1) : origin;
    }

    /** The environment with blank values treated as absent. */
    private record Env(Map<String, String> values) {

        Optional<String> get(String name) {
            String value = values.get(name);
            return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
        }

        Optional<String> first(String name, String fallback) {
            return get(name).or(() -> get(fallback));
        }

        /** As {@link #get}, with the original .env's {@code none} meaning absent. */
        Optional<String> set(String name) {
            return get(name).filter(v -> !v.equalsIgnoreCase("none"));
        }

        Optional<String> firstSet(String name, String fallback) {
            return set(name).or(() -> set(fallback));
        }

        int integer(String name, int fallback, int min, int max) {
            Optional<String> value = get(name);
            if (value.isEmpty()) {
                return fallback;
            }
            try {
                int parsed = Integer.parseInt(value.get());
                if (parsed < min || parsed > max) {
                    throw new IllegalStateException(name + " must be between " + min + " and " + max);
                }
                return parsed;
            } catch (NumberFormatException e) {
                throw new IllegalStateException(name + " must be a whole number, was '" + value.get() + "'");
            }
        }

        URI uri(String name, String value) {
            try {
                URI uri = new URI(value);
                if (uri.getScheme() == null || uri.getHost() == null) {
                    throw new IllegalStateException(name + " must be an absolute URL with a host");
                }
                return uri;
            } catch (URISyntaxException e) {
                throw new IllegalStateException(name + " is not a URL: " + e.getReason());
            }
        }

        URI httpUri(String name, String value) {
            URI uri = uri(name, value);
            if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme())) {
                throw new IllegalStateException(name + " must be an https:// URL (https://{api-id}.execute-api."
                        + "{region}.amazonaws.com/{stage})");
            }
            return uri;
        }
    }
}
