package io.pagenow.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The one reader of the environment variables the server and the Lambda functions share, so each
 * means the same in both: a blank value is an absent one, values lose surrounding blanks, numbers
 * are checked against one range, and a bad value fails the start with a
 * {@link ConfigurationException} naming the variable. The composition roots decide what is
 * required; how a value is read is decided here, and so are the defaults of the variables both
 * roots and the store adapters share ({@link #DEFAULT_REDIS_KEY_PREFIX},
 * {@link #DEFAULT_SOCIAL_GRAPH_CACHE_SECONDS}), each in this one place.
 */
public final class Environment {

    /** {@code PRESENCE_TIMEOUT_SECONDS}: shorter than a few heartbeats would take users offline between them. */
    public static final int MIN_PRESENCE_TIMEOUT_SECONDS = 10;
    public static final int MAX_SECONDS = 86_400;
    public static final int MAX_DATABASE_POOL_SIZE = 1_000;
    public static final int MAX_FLOOD_BURST = 100_000;
    /** The Redis adapter's default too: one place, whether a root or the adapter applies it. */
    public static final String DEFAULT_REDIS_KEY_PREFIX = "pagenow:";
    /** The PostgreSQL adapter's default too: one place, whether a root or the adapter applies it. */
    public static final int DEFAULT_SOCIAL_GRAPH_CACHE_SECONDS = 5;

    private final Map<String, String> values;

    public Environment(Map<String, String> values) {
        this.values = Map.copyOf(Objects.requireNonNull(values, "values"));
    }

    /** The value without surrounding blanks; blank or unset is empty. */
    public Optional<String> text(String name) {
        String value = values.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
    }

    /**
     * {@code DATABASE_PASSWORD} and the like, read as {@link #text} is: blanks around it are dropped.
     * A password pasted from a console or a secret store often brings a newline; RDS and ElastiCache
     * passwords cannot contain blanks, so none is lost.
     */
    public Optional<String> secret(String name) {
        return text(name);
    }

    public int integer(String name, int fallback, int min, int max) {
        Optional<String> value = text(name);
        if (value.isEmpty()) {
            return fallback;
        }
        int parsed;
        try {
            parsed = Integer.parseInt(value.get());
        } catch (NumberFormatException e) {
            throw new ConfigurationException(name, "must be a whole number, was '" + value.get() + "'");
        }
        if (parsed < min || parsed > max) {
            throw new ConfigurationException(name, "must be between " + min + " and " + max + ", was " + parsed);
        }
        return parsed;
    }

    public double positiveNumber(String name, double fallback) {
        Optional<String> value = text(name);
        if (value.isEmpty()) {
            return fallback;
        }
        double parsed;
        try {
            parsed = Double.parseDouble(value.get());
        } catch (NumberFormatException e) {
            throw new ConfigurationException(name, "must be a number, was '" + value.get() + "'");
        }
        if (!(parsed > 0) || Double.isInfinite(parsed)) {
            throw new ConfigurationException(name, "must be a positive number, was '" + value.get() + "'");
        }
        return parsed;
    }

    public boolean bool(String name, boolean fallback) {
        Optional<String> value = text(name);
        if (value.isEmpty()) {
            return fallback;
        }
        return switch (value.get().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new ConfigurationException(name, "must be true or false, was '" + value.get() + "'");
        };
    }

    /**
     * For two variables that mean nothing alone: true when both are set, false when neither is.
     *
     * @throws ConfigurationException naming the missing one when only the other is set
     */
    public boolean together(String name, String partner) {
        boolean set = text(name).isPresent();
        if (set != text(partner).isPresent()) {
            throw new ConfigurationException(set ? partner : name, "must be set with " + (set ? name : partner));
        }
        return set;
    }

    /** An absolute URL with a host. */
    public Optional<URI> url(String name) {
        return text(name).map(value -> url(name, value));
    }

    public static URI url(String name, String value) {
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw new ConfigurationException(name, "is not a URL: " + e.getReason());
        }
        if (uri.getScheme() == null || uri.getHost() == null) {
            // Not quoted back: a URL this malformed may hold a password where the host should be.
            throw new ConfigurationException(name, "must be an absolute URL with a scheme and a host");
        }
        return uri;
    }

    // ---------------------------------------------------------------- the shared variables

    /**
     * {@code CLIENT_URL}: comma-separated URLs, each reduced to the origin a browser sends
     * ({@code scheme://host[:port]}, no path, no trailing slash).
     */
    public List<String> clientOrigins() {
        return text("CLIENT_URL").map(value -> Arrays.stream(value.split(","))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .map(Environment::origin)
                .distinct()
                .toList()).orElse(List.of());
    }

    private static String origin(String value) {
        URI uri = url("CLIENT_URL", value);
        return uri.getScheme().toLowerCase(Locale.ROOT) + "://" + uri.getHost().toLowerCase(Locale.ROOT)
                + (uri.getPort() == -1 ? "" : ":" + uri.getPort());
    }

    public Optional<String> databaseUrl() {
        return text("DATABASE_URL");
    }

    public Optional<String> databaseUser() {
        return text("DATABASE_USER");
    }

    public Optional<String> databasePassword() {
        return secret("DATABASE_PASSWORD");
    }

    public int databasePoolSize(int fallback) {
        return integer("DATABASE_POOL_SIZE", fallback, 1, MAX_DATABASE_POOL_SIZE);
    }

    /** {@code SOCIAL_GRAPH_CACHE_SECONDS}; zero reads the social graph on every use. */
    public Duration socialGraphCacheTtl() {
        return Duration.ofSeconds(integer("SOCIAL_GRAPH_CACHE_SECONDS", DEFAULT_SOCIAL_GRAPH_CACHE_SECONDS, 0,
                MAX_SECONDS));
    }

    /** {@code REDIS_URL}: {@code redis://} or {@code rediss://} (TLS). */
    public Optional<URI> redisUrl() {
        Optional<URI> url = url("REDIS_URL");
        url.ifPresent(uri -> {
            if (!"redis".equals(uri.getScheme()) && !"rediss".equals(uri.getScheme())) {
                throw new ConfigurationException("REDIS_URL", "must start with redis:// or rediss://");
            }
        });
        return url;
    }

    public String redisKeyPrefix() {
        return text("REDIS_KEY_PREFIX").orElse(DEFAULT_REDIS_KEY_PREFIX);
    }

    public Duration presenceTimeout(Duration fallback) {
        return Duration.ofSeconds(integer("PRESENCE_TIMEOUT_SECONDS", (int) fallback.toSeconds(),
                MIN_PRESENCE_TIMEOUT_SECONDS, MAX_SECONDS));
    }

    public int floodBurst(int fallback) {
        return integer("FLOOD_BURST", fallback, 1, MAX_FLOOD_BURST);
    }

    public double floodRefillPerSecond(double fallback) {
        return positiveNumber("FLOOD_REFILL_PER_SECOND", fallback);
    }
}
