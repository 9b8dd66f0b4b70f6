package io.pagenow.lambda;

import io.pagenow.config.ConfigurationException;
import io.pagenow.core.delivery.Channel;
import io.pagenow.protocol.FloodControl;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LambdaConfigTest {

    /** The chat API's .env of the original system, as a deployer would carry it over. */
    private static Map<String, String> chatSeedEnv() {
        Map<String, String> env = new HashMap<>();
        env.put("AWS_REGION", "us-west-2");
        env.put("COGNITO_REGION", "us-west-2");
        env.put("COGNITO_POOL_ID", "us-west-2_AbCdEfGhI");
        env.put("RDS_PROXY_HOST", "pagenow.proxy-abc.us-west-2.rds.amazonaws.com");
        env.put("RDS_PORT", "5432");
        env.put("RDS_DB_NAME", "pagenow");
        env.put("RDS_USERNAME", "chat");
        env.put("RDS_PASSWORD", "s3cret");
        env.put("REDIS_ENDPOINT_ADDRESS", "pagenow.abc.ng.0001.usw2.cache.amazonaws.com");
        env.put("REDIS_ENDPOINT_PORT", "6379");
        env.put("CLIENT_URL", "https://chat.pagenow.io/");
        return env;
    }

    @Test
    void readsTheOriginalSystemsVariableNames() {
        LambdaConfig config = LambdaConfig.from(chatSeedEnv());
        assertEquals(Duration.ofSeconds(5), config.database().socialGraphCacheTtl());

        assertEquals("jdbc:postgresql://pagenow.proxy-abc.us-west-2.rds.amazonaws.com:5432/pagenow",
                config.database().jdbcUrl());
        assertEquals("chat", config.database().user());
        assertEquals("s3cret", config.database().password());
        assertEquals(URI.create("redis://pagenow.abc.ng.0001.usw2.cache.amazonaws.com:6379"), config.redis().url());
        assertEquals("pagenow:", config.redis().keyPrefix());
        assertEquals("https://cognito-idp.us-west-2.amazonaws.com/us-west-2_AbCdEfGhI", config.auth().issuer());
        assertEquals(URI.create("https://cognito-idp.us-west-2.amazonaws.com/us-west-2_AbCdEfGhI/.well-known/jwks.json"),
                config.auth().jwksUrl());
        assertEquals(Optional.empty(), config.auth().audience());
        assertEquals(List.of("https://chat.pagenow.io"), config.clientOrigins());
        assertEquals(Duration.ofMinutes(3), config.presenceTimeout());
        assertEquals("us-west-2", config.region());
        assertEquals(Map.of(), config.managementEndpoints());
        assertEquals(FloodControl.DEFAULT, config.floodControl());
    }

    @Test
    void readsThePresenceApisNames() {
        Map<String, String> env = new HashMap<>();
        env.put("AWS_REGION", "us-west-2"); // the presence .env named the Cognito region AWS_REGION
        env.put("COGNITO_POOL_ID", "us-west-2_Pool");
        env.put("RDS_HOST", "db.internal");
        env.put("RDS_DB_NAME", "pagenow");
        env.put("REDIS_ENDPOINT_ADDRESS", "none");
        env.put("REDIS_PRIMARY_ENDPOINT_ADDRESS", "primary.cache.internal");
        env.put("REDIS_PRIMARY_ENDPOINT_PORT", "6380");

        LambdaConfig config = LambdaConfig.from(env);

        assertEquals("jdbc:postgresql://db.internal:5432/pagenow", config.database().jdbcUrl());
        assertEquals(URI.create("redis://primary.cache.internal:6380"), config.redis().url());
        assertEquals("https://cognito-idp.us-west-2.amazonaws.com/us-west-2_Pool", config.auth().issuer());
    }

    @Test
    void theServersNamesWinOverTheSeedNames() {
        Map<String, String> env = chatSeedEnv();
        env.put("DATABASE_URL", "jdbc:postgresql://127.0.0.1:5432/test");
        env.put("DATABASE_USER", "postgres");
        env.put("DATABASE_POOL_SIZE", "3");
        env.put("SOCIAL_GRAPH_CACHE_SECONDS", "0");
        env.put("REDIS_URL", "rediss://:pw@cache.internal:6379/2");
        env.put("REDIS_KEY_PREFIX", "stage:");
        env.put("AUTH_ISSUER", "https://issuer.example");
        env.put("AUTH_JWKS_URL", "https://issuer.example/jwks.json");
        env.put("AUTH_AUDIENCE", "client-1");
        env.put("PRESENCE_TIMEOUT_SECONDS", "60");
        env.put("FLOOD_BURST", "10");
        env.put("FLOOD_REFILL_PER_SECOND", "2.5");
        env.put("CLIENT_URL", "https://a.example, https://b.example");
        env.put("CHAT_WS_ENDPOINT", "https://abc.execute-api.us-west-2.amazonaws.com/prod");
        env.put("PRESENCE_WS_ENDPOINT", "https://def.execute-api.us-west-2.amazonaws.com/prod");

        LambdaConfig config = LambdaConfig.from(env);

        assertEquals("jdbc:postgresql://127.0.0.1:5432/test", config.database().jdbcUrl());
        assertEquals("postgres", config.database().user());
        assertEquals(3, config.database().poolSize());
        assertEquals(Duration.ZERO, config.database().socialGraphCacheTtl());
        assertEquals(URI.create("rediss://:pw@cache.internal:6379/2"), config.redis().url());
        assertEquals("stage:", config.redis().keyPrefix());
        assertEquals("https://issuer.example", config.auth().issuer());
        assertEquals(Optional.of("client-1"), config.auth().audience());
        assertEquals(Duration.ofSeconds(60), config.presenceTimeout());
        assertEquals(new FloodControl(10, 2.5), config.floodControl());
        assertEquals(List.of("https://a.example", "https://b.example"), config.clientOrigins());
        assertEquals(URI.create("https://def.execute-api.us-west-2.amazonaws.com/prod"),
                config.managementEndpoints().get(Channel.PRESENCE));
    }

    @Test
    void aDatabaseUrlMayCarryItsCredentialsAsTheMigrateCommandReadsIt() {
        Map<String, String> env = chatSeedEnv();
        env.put("DATABASE_URL", "postgres://app:p%40ss@db.internal:6432/pagenow");

        LambdaConfig.Database database = LambdaConfig.from(env).database();

        assertEquals("jdbc:postgresql://db.internal:6432/pagenow", database.jdbcUrl());
        assertEquals("app", database.user());
        assertEquals("p@ss", database.password());
    }

    @Test
    void aMissingIssuerFailsTheStartNamingTheVariables() {
        Map<String, String> env = chatSeedEnv();
        env.remove("COGNITO_POOL_ID");

        ConfigurationException e = assertThrows(ConfigurationException.class, () -> LambdaConfig.from(env));

        assertEquals("AUTH_ISSUER", e.variable());
        assertTrue(e.getMessage().contains("AUTH_ISSUER") && e.getMessage().contains("COGNITO_POOL_ID"), e.getMessage());
        assertTrue(e.getMessage().contains("never runs in development mode"), e.getMessage());
    }

    @Test
    void missingStoresFailTheStartNamingTheVariables() {
        Map<String, String> noDatabase = chatSeedEnv();
        noDatabase.remove("RDS_PROXY_HOST");
        assertTrue(assertThrows(ConfigurationException.class, () -> LambdaConfig.from(noDatabase)).getMessage()
                .contains("DATABASE_URL"));

        Map<String, String> noRedis = chatSeedEnv();
        noRedis.put("REDIS_ENDPOINT_ADDRESS", "none");
        assertTrue(assertThrows(ConfigurationException.class, () -> LambdaConfig.from(noRedis)).getMessage()
                .contains("REDIS_URL"));

        Map<String, String> noDbName = chatSeedEnv();
        noDbName.remove("RDS_DB_NAME");
        assertTrue(assertThrows(ConfigurationException.class, () -> LambdaConfig.from(noDbName)).getMessage()
                .contains("RDS_DB_NAME"));
    }

    @Test
    void malformedValuesAreRefusedNamingTheVariable() {
        for (Map.Entry<String, String> bad : Map.of(
                "RDS_PORT", "fivefour", "PRESENCE_TIMEOUT_SECONDS", "0", "DATABASE_URL", "mysql://x/y",
                "REDIS_URL", "http://cache", "CHAT_WS_ENDPOINT", "wss://abc/prod", "FLOOD_REFILL_PER_SECOND", "-1",
                "FLOOD_BURST", "lots", "SOCIAL_GRAPH_CACHE_SECONDS", "-1").entrySet()) {
            Map<String, String> env = chatSeedEnv();
            env.put(bad.getKey(), bad.getValue());
            ConfigurationException e = assertThrows(ConfigurationException.class, () -> LambdaConfig.from(env),
                    bad.getKey());
            assertEquals(bad.getKey(), e.variable(), e.getMessage());
        }
    }

    @Test
    void redisTlsAndAuthFromTheTemplatesVariables() {
        Map<String, String> env = chatSeedEnv();
        env.put("REDIS_TLS", "true");
        env.put("REDIS_PASSWORD", " tok/en@1 \n");

        LambdaConfig config = LambdaConfig.from(env);

        assertEquals(URI.create("rediss://default:tok%2Fen%401@pagenow.abc.ng.0001.usw2.cache.amazonaws.com:6379"),
                config.redis().url());
        assertFalse(config.toString().contains("tok"), config.toString());
        env.put("REDIS_TLS", "yes");
        assertEquals("REDIS_TLS", assertThrows(ConfigurationException.class, () -> LambdaConfig.from(env)).variable());
    }

    @Test
    void secretsStayOutOfToString() {
        Map<String, String> env = chatSeedEnv();
        env.put("REDIS_URL", "rediss://:redispw@cache.internal:6379");

        String shown = LambdaConfig.from(env).toString();

        assertFalse(shown.contains("s3cret"), shown);
        assertFalse(shown.contains("redispw"), shown);
        assertTrue(shown.contains("pagenow.proxy-abc"), shown);
    }

    @Test
    void theEndpointOfAWebSocketEventIsLearnedUnlessOneIsConfigured() {
        ManagementEndpoints learned = new ManagementEndpoints(Map.of());
        learned.learn(Channel.CHAT, "abc123.execute-api.us-west-2.amazonaws.com", "prod");
        assertEquals(Optional.of(URI.create("https://abc123.execute-api.us-west-2.amazonaws.com/prod")),
                learned.of(Channel.CHAT));
        assertEquals(Optional.empty(), learned.of(Channel.PRESENCE));

        URI custom = URI.create("https://ws.pagenow.io/chat");
        ManagementEndpoints configured = new ManagementEndpoints(Map.of(Channel.CHAT, custom));
        configured.learn(Channel.CHAT, "abc123.execute-api.us-west-2.amazonaws.com", "prod");
        assertEquals(Optional.of(custom), configured.of(Channel.CHAT));
    }
}
