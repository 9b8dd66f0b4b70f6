package io.pagenow.config;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One table of the variables the server and the Lambda functions share, run against each
 * composition root's own reading (the server's {@code ServerConfig}, the functions'
 * {@code LambdaConfig}): the same value means the same thing in both, and the same bad value is
 * refused in both, naming the variable, without quoting a secret.
 */
public abstract class SharedVariablesContract {

    /** What a composition root made of the shared variables. */
    public record Shared(List<String> clientOrigins, Optional<String> databaseUser, Optional<String> databasePassword,
                         int databasePoolSize, Duration socialGraphCacheTtl, String redisKeyPrefix,
                         Duration presenceTimeout, int floodBurst, double floodRefillPerSecond,
                         String shownInLogs) {
    }

    /**
     * Reads the environment as the composition root does, with {@link #required()} added, and
     * returns what it made of the shared variables.
     */
    protected abstract Shared read(Map<String, String> environment);

    /** What the composition root needs besides the variable under test (a database, Redis, an issuer). */
    protected abstract Map<String, String> required();

    private Shared readWith(Map<String, String> variables) {
        Map<String, String> env = new HashMap<>(required());
        env.putAll(variables);
        return read(env);
    }

    static Stream<Arguments> values() {
        return Stream.of(
                row("CLIENT_URL", "https://chat.example.com/app/", Shared::clientOrigins,
                        List.of("https://chat.example.com")),
                row("CLIENT_URL", " https://chat.example.com/ , http://localhost:4200 ,", Shared::clientOrigins,
                        List.of("https://chat.example.com", "http://localhost:4200")),
                row("CLIENT_URL", "HTTPS://Chat.Example.com:8443", Shared::clientOrigins,
                        List.of("https://chat.example.com:8443")),
                row("CLIENT_URL", "   ", Shared::clientOrigins, List.of()),
                row("DATABASE_PASSWORD", "  s3cret \n", Shared::databasePassword, Optional.of("s3cret")),
                row("DATABASE_PASSWORD", " ", Shared::databasePassword, Optional.empty()),
                row("DATABASE_USER", " app ", Shared::databaseUser, Optional.of("app")),
                row("DATABASE_POOL_SIZE", " 7 ", Shared::databasePoolSize, 7),
                row("SOCIAL_GRAPH_CACHE_SECONDS", "0", Shared::socialGraphCacheTtl, Duration.ZERO),
                row("REDIS_KEY_PREFIX", " staging: ", Shared::redisKeyPrefix, "staging:"),
                row("REDIS_KEY_PREFIX", "", Shared::redisKeyPrefix, "pagenow:"),
                row("PRESENCE_TIMEOUT_SECONDS", "60", Shared::presenceTimeout, Duration.ofMinutes(1)),
                row("FLOOD_BURST", "10", Shared::floodBurst, 10),
                row("FLOOD_REFILL_PER_SECOND", "2.5", Shared::floodRefillPerSecond, 2.5));
    }

    private static <T> Arguments row(String variable, String value, Function<Shared, T> read, T expected) {
        return Arguments.of(variable, value, read, expected);
    }

    @ParameterizedTest(name = "{0}=''{1}''")
    @MethodSource("values")
    void aSharedVariableMeansTheSameInBoth(String variable, String value, Function<Shared, Object> read,
                                           Object expected) {
        assertEquals(expected, read.apply(readWith(Map.of(variable, value))));
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                Arguments.of("DATABASE_POOL_SIZE", "0"),
                Arguments.of("DATABASE_POOL_SIZE", "many"),
                Arguments.of("SOCIAL_GRAPH_CACHE_SECONDS", "-1"),
                Arguments.of("PRESENCE_TIMEOUT_SECONDS", "5"),
                Arguments.of("PRESENCE_TIMEOUT_SECONDS", "soon"),
                Arguments.of("FLOOD_BURST", "lots"),
                Arguments.of("FLOOD_REFILL_PER_SECOND", "-1"),
                Arguments.of("FLOOD_REFILL_PER_SECOND", "Infinity"),
                Arguments.of("CLIENT_URL", "chat.example.com"),
                Arguments.of("REDIS_URL", "http://cache:6379"),
                Arguments.of("AUTH_JWKS_URL", "not a url"));
    }

    @ParameterizedTest(name = "{0}=''{1}''")
    @MethodSource("refused")
    void aBadValueIsRefusedInBothNamingTheVariable(String variable, String value) {
        Map<String, String> env = new HashMap<>(Map.of(variable, value));
        if (variable.startsWith("AUTH_")) {
            env.put("AUTH_ISSUER", "https://issuer.example.com/pool");
        }
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> readWith(env));
        assertEquals(variable, e.variable());
        assertTrue(e.getMessage().startsWith(variable + " "), e.getMessage());
    }

    static Stream<Arguments> secrets() {
        return Stream.of(
                Arguments.of(Map.of("DATABASE_URL", "jdbc:postgresql://db:5432/app?password=hunter2")),
                Arguments.of(Map.of("DATABASE_URL", "postgres://app:hunter2@db:5432/app")),
                Arguments.of(Map.of("DATABASE_URL", "jdbc:postgresql://db:5432/app", "DATABASE_PASSWORD", "hunter2")),
                Arguments.of(Map.of("REDIS_URL", "rediss://default:hunter2@cache:6380/0")),
                Arguments.of(Map.of("REDIS_URL", "redis://:hunter2@cache:6379")));
    }

    @ParameterizedTest
    @MethodSource("secrets")
    void noSecretIsShown(Map<String, String> variables) {
        String shown = readWith(variables).shownInLogs();
        assertFalse(shown.contains("hunter2"), shown);
        assertTrue(shown.contains("db") || shown.contains("cache"), "the host is still shown: " + shown);
    }
}
