package io.pagenow.javalin;

import io.pagenow.protocol.AuthSettings;
import io.pagenow.protocol.FloodControl;
import io.pagenow.protocol.Limits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.pagenow.javalin.TestServer.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigurationTest {

    @Test
    void nothingConfiguredIsDevelopmentModeOnLoopback() {
        ServerConfig config = ServerConfig.fromEnvironment(Map.of());
        assertTrue(config.developmentMode());
        assertEquals("127.0.0.1", config.host());
        assertEquals(8080, config.port());
        assertEquals(Duration.ofMinutes(3), config.presenceTimeout());
        assertEquals(Duration.ofSeconds(30), config.presenceSweepInterval());
        assertEquals(FloodControl.DEFAULT, config.floodControl());
        assertEquals(List.of(), config.clientOrigins());
        assertFalse(config.nodeId().isBlank());
        assertEquals(Optional.empty(), config.database());
        assertEquals(Optional.empty(), config.redis());
        assertTrue(Main.banner(config, 8080).contains("curl -s -X POST http://127.0.0.1:8080/dev/token"));
        assertTrue(Main.banner(config, 8080).contains("conversations and users in memory, connections and presence in memory"));
        assertTrue(Main.banner(config, 8080).contains("Web client: open http://127.0.0.1:8080/ in a browser"));
    }

    @Test
    void databaseAndRedisVariablesWithTheirDefaults() {
        ServerConfig config = ServerConfig.fromEnvironment(Map.of(
                "DATABASE_URL", "jdbc:postgresql://db.internal:5432/pagenow?currentSchema=chat",
                "REDIS_URL", "rediss://:secret@cache.internal:6380/2", "NODE_ID", "node-a"));
        assertEquals(Optional.of(new ServerConfig.DatabaseSettings(
                "jdbc:postgresql://db.internal:5432/pagenow?currentSchema=chat", null, null, 10, true,
                Duration.ofSeconds(io.pagenow.config.Environment.DEFAULT_SOCIAL_GRAPH_CACHE_SECONDS))), config.database());
        assertEquals(Duration.ofSeconds(5), config.database().orElseThrow().socialGraphCacheTtl());
        assertEquals(Optional.of(new ServerConfig.RedisSettings("rediss://:secret@cache.internal:6380/2", "pagenow:",
                ServerConfig.RedisSettings.DEFAULT_POOL_SIZE)),
                config.redis());
        String banner = Main.banner(config, 8080);
        assertTrue(banner.contains("users from the database"), banner);
        assertTrue(banner.contains("in PostgreSQL") && banner.contains("in Redis (node node-a)"), banner);

        config = ServerConfig.fromEnvironment(Map.of("DATABASE_URL", "postgres://u:pw@db:5432/x",
                "DATABASE_USER", "app", "DATABASE_PASSWORD", "s3cret", "DATABASE_POOL_SIZE", "25",
                "DATABASE_MIGRATE", "FALSE", "REDIS_URL", "redis://127.0.0.1:6379", "REDIS_KEY_PREFIX", "staging:",
                "SOCIAL_GRAPH_CACHE_SECONDS", "0"));
        assertEquals(new ServerConfig.DatabaseSettings("postgres://u:pw@db:5432/x", "app", "s3cret", 25, false,
                        Duration.ZERO), config.database().orElseThrow());
        assertEquals(Duration.ZERO, Main.postgresConfig(config.database().orElseThrow()).socialGraphCacheTtl());
        assertEquals("staging:", config.redis().orElseThrow().keyPrefix());
        assertEquals(ServerConfig.RedisSettings.DEFAULT_POOL_SIZE, Main.redisConfig(config).orElseThrow().poolSize());
        assertFalse(config.toString().contains("s3cret"), config.toString());
        assertFalse(config.toString().contains("pw"), config.toString());
        assertFalse(ServerConfig.fromEnvironment(Map.of("REDIS_URL", "redis://user:hunter2@h:1")).toString()
                .contains("hunter2"));
    }

    @Test
    void malformedStoreSettingsFailTheStartBeforeAnythingOpens() {
        assertMessage("DATABASE_POOL_SIZE", Map.of("DATABASE_URL", "jdbc:postgresql://h/db", "DATABASE_POOL_SIZE", "0"));
        assertMessage("DATABASE_POOL_SIZE", Map.of("DATABASE_URL", "jdbc:postgresql://h/db", "DATABASE_POOL_SIZE", "x"));
        assertMessage("DATABASE_MIGRATE", Map.of("DATABASE_URL", "jdbc:postgresql://h/db", "DATABASE_MIGRATE", "yes"));
        assertMessage("SOCIAL_GRAPH_CACHE_SECONDS", Map.of("DATABASE_URL", "jdbc:postgresql://h/db",
                "SOCIAL_GRAPH_CACHE_SECONDS", "-1"));
        assertMessage("SOCIAL_GRAPH_CACHE_SECONDS", Map.of("DATABASE_URL", "jdbc:postgresql://h/db",
                "SOCIAL_GRAPH_CACHE_SECONDS", "soon"));
        assertMessage("SEED_FILE", Map.of("DATABASE_URL", "jdbc:postgresql://h/db", "SEED_FILE", "/tmp/seed.json"));
        assertMessage("NODE_ID", Map.of("NODE_ID", "n".repeat(201)));
        // Read by the environment reader the Lambda functions share, before anything opens.
        assertMessage("REDIS_URL", Map.of("REDIS_URL", "http://cache.invalid:6379",
                "DATABASE_URL", "jdbc:postgresql://db.invalid:5432/x"));
        // Checked by Main before it opens a pool or a connection: nothing listens on this host.
        assertStoresMessage("DATABASE_URL", Map.of("DATABASE_URL", "mysql://db.invalid/x"));
    }

    @Test
    void theRedisPoolSizeIsReadAndReachesThePool() {
        ServerConfig config = ServerConfig.fromEnvironment(Map.of("REDIS_URL", "redis://127.0.0.1:6379",
                "REDIS_POOL_SIZE", "64", "NODE_ID", "node-p"));
        assertEquals(64, config.redis().orElseThrow().poolSize());
        assertEquals(64, Main.redisConfig(config).orElseThrow().poolSize());
        assertEquals("node-p", Main.redisConfig(config).orElseThrow().nodeId());
        assertMessage("REDIS_POOL_SIZE", Map.of("REDIS_URL", "redis://h:1", "REDIS_POOL_SIZE", "1"));
        assertMessage("REDIS_POOL_SIZE", Map.of("REDIS_URL", "redis://h:1", "REDIS_POOL_SIZE", "2001"));
        assertMessage("REDIS_POOL_SIZE", Map.of("REDIS_URL", "redis://h:1", "REDIS_POOL_SIZE", "many"));
    }

    @Test
    void theDefaultRedisPoolHasAConnectionForEveryServerThread() {
        try (TestServer server = TestServer.start()) {
            assertTrue(server.server.jetty().maxThreads() > 0);
            assertEquals(server.server.jetty().maxThreads(), ServerConfig.RedisSettings.DEFAULT_POOL_SIZE,
                    "a Jetty thread never waits for a Redis connection another one holds");
        }
    }

    private static void assertStoresMessage(String variable, Map<String, String> env) {
        ServerConfig config = ServerConfig.fromEnvironment(env);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Main.stores(config));
        assertTrue(e.getMessage().contains(variable), e.getMessage());
    }

    @Test
    void cognitoSettingsDeriveTheIssuerAndKeys() {
        ServerConfig config = ServerConfig.fromEnvironment(Map.of("COGNITO_REGION", "ap-northeast-2",
                "COGNITO_POOL_ID", "ap-northeast-2_abc", "COGNITO_CLIENT_ID", "client-9"));
        assertEquals(Optional.of(new AuthSettings(
                URI.create("https://cognito-idp.ap-northeast-2.amazonaws.com/ap-northeast-2_abc/.well-known/jwks.json"),
                "https://cognito-idp.ap-northeast-2.amazonaws.com/ap-northeast-2_abc", Optional.of("client-9"))),
                config.auth());
        assertEquals("0.0.0.0", config.host());
        assertFalse(Main.banner(config, 8080).contains("/dev/token"));
    }

    @Test
    void explicitAuthSettingsWinAndEverythingElseIsRead() {
        ServerConfig config = ServerConfig.fromEnvironment(Map.ofEntries(
                Map.entry("AUTH_JWKS_URL", "https://id.example.com/jwks.json"),
                Map.entry("AUTH_ISSUER", "https://id.example.com"),
                Map.entry("COGNITO_REGION", "eu-west-1"), Map.entry("COGNITO_POOL_ID", "p"),
                Map.entry("PORT", "9090"), Map.entry("HOST", "127.0.0.2"),
                Map.entry("CLIENT_URL", "https://chat.example.com/app/, http://localhost:4200"),
                Map.entry("PRESENCE_TIMEOUT_SECONDS", "60"), Map.entry("PRESENCE_SWEEP_SECONDS", "10"),
                Map.entry("FLOOD_BURST", "10"), Map.entry("FLOOD_REFILL_PER_SECOND", "2.5"),
                Map.entry("SEED_FILE", "/tmp/seed.json"), Map.entry("NODE_ID", "node-7")));
        assertEquals("https://id.example.com", config.auth().orElseThrow().issuer());
        assertEquals(Optional.empty(), config.auth().orElseThrow().audience());
        assertEquals(9090, config.port());
        assertEquals("127.0.0.2", config.host());
        assertEquals(List.of("https://chat.example.com", "http://localhost:4200"), config.clientOrigins());
        assertEquals(Duration.ofSeconds(60), config.presenceTimeout());
        assertEquals(Duration.ofSeconds(10), config.presenceSweepInterval());
        assertEquals(new FloodControl(10, 2.5), config.floodControl());
        assertEquals(Optional.of(Path.of("/tmp/seed.json")), config.seedFile());
        assertEquals("node-7", config.nodeId());
    }

    @Test
    void malformedValuesFailTheStartNamingTheVariable() {
        assertMessage("PORT", Map.of("PORT", "eighty"));
        assertMessage("PORT", Map.of("PORT", "70000"));
        assertMessage("AUTH_ISSUER", Map.of("AUTH_JWKS_URL", "https://x.example/jwks.json"));
        assertMessage("COGNITO_POOL_ID", Map.of("COGNITO_REGION", "eu-west-1"));
        assertMessage("AUTH_JWKS_URL", Map.of("AUTH_JWKS_URL", "not a url", "AUTH_ISSUER", "x"));
        assertMessage("CLIENT_URL", Map.of("CLIENT_URL", "chat.example.com"));
        assertMessage("PRESENCE_TIMEOUT_SECONDS", Map.of("PRESENCE_TIMEOUT_SECONDS", "0"));
        assertMessage("FLOOD_REFILL_PER_SECOND", Map.of("FLOOD_REFILL_PER_SECOND", "fast"));
        assertMessage("FLOOD_BURST", Map.of("FLOOD_BURST", "-5"));
        assertMessage("FLOOD_REFILL_PER_SECOND", Map.of("FLOOD_REFILL_PER_SECOND", "0"));
        assertMessage("GROUP_MAX_PARTICIPANTS", Map.of("GROUP_MAX_PARTICIPANTS", "2"));
        assertMessage("GROUP_MAX_PARTICIPANTS", Map.of("GROUP_MAX_PARTICIPANTS", "many"));
        assertMessage("ALLOW_UNKNOWN_USERS", Map.of("ALLOW_UNKNOWN_USERS", "maybe"));
        assertMessage("MAX_SOCKETS_PER_USER", Map.of("MAX_SOCKETS_PER_USER", "0"));
        assertMessage("REST_RATE_PER_SECOND", Map.of("REST_RATE_PER_SECOND", "-1"));
    }

    @Test
    void theLimitsHaveDefaultsAndTheirOwnVariables() {
        assertEquals(Limits.DEFAULT, ServerConfig.fromEnvironment(Map.of()).limits());
        assertEquals(100, Limits.DEFAULT.maxGroupParticipants());
        assertFalse(Limits.DEFAULT.allowUnknownUsers());
        Limits set = ServerConfig.fromEnvironment(Map.of("GROUP_MAX_PARTICIPANTS", "12", "ALLOW_UNKNOWN_USERS", "true",
                "USER_FLOOD_BURST", "50", "USER_FLOOD_REFILL_PER_SECOND", "5", "MAX_SOCKETS_PER_USER", "3",
                "REST_RATE_BURST", "30", "REST_RATE_PER_SECOND", "2", "MAX_SOCKETS", "5000")).limits();
        assertEquals(new Limits(12, true, new FloodControl(50, 5), 3, new FloodControl(30, 2), 5000), set);
    }

    private static void assertMessage(String variable, Map<String, String> env) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ServerConfig.fromEnvironment(env));
        assertTrue(e.getMessage().contains(variable), e.getMessage());
    }

    @Test
    void aSeedFileReplacesTheDemoGraph(@TempDir Path dir) throws Exception {
        Path seed = dir.resolve("seed.json");
        Files.writeString(seed, """
                {"users":[{"user_id":"ana","first_name":"Ana","last_name":"Lima"},
                          {"user_id":"ben","first_name":"Ben","last_name":"Ode"},
                          {"user_id":"cy","first_name":"Cy","last_name":"Po"}],
                 "friendships":[["ana","ben"]]}""");
        try (TestServer server = TestServer.start(Map.of("SEED_FILE", seed.toString()))) {
            var overview = ok(server.get("/presence", server.token("ana")));
            assertEquals(1, overview.get("presenceArr").size());
            assertEquals("ben", overview.get("presenceArr").get(0).get("userId").asText());
            assertEquals("Lima", overview.get("userInfoMap").get("ana").get("last_name").asText());
            assertEquals(0, ok(server.get("/presence", server.token("alice"))).get("presenceArr").size(),
                    "the demo users are gone");
        }
    }

    @Test
    void aMalformedSeedFileIsNamed(@TempDir Path dir) throws Exception {
        Path seed = dir.resolve("seed.json");
        Files.writeString(seed, "{\"users\":[{\"user_id\":\"ana\"}]}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SeedFile.load(seed));
        assertTrue(e.getMessage().contains("users[0] needs a string 'first_name'"), e.getMessage());
        Files.writeString(seed, "{\"users\":[{\"user_id\":\"a\",\"first_name\":\"A\",\"last_name\":\"B\"}],"
                + "\"friendships\":[[\"a\",\"zed\"]]}");
        e = assertThrows(IllegalArgumentException.class, () -> SeedFile.load(seed));
        assertTrue(e.getMessage().contains("zed"), e.getMessage());
    }
}
