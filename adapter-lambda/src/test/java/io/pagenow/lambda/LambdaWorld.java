package io.pagenow.lambda;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pagenow.core.testing.MutableClock;
import io.pagenow.db.Migrations;
import io.pagenow.db.testing.TestSchema;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Everything a handler test runs on, all real and on loopback: a PostgreSQL schema of its own
 * (migrated, with the demo users alice, bob, carol, dave and their friendships), a Redis key prefix
 * of its own, a token issuer serving its JWKS over HTTP, and the Management API stub. The container
 * is built from an environment map the way a Lambda builds it from its real environment, with a
 * controllable clock and dummy AWS credentials for the SigV4 signature.
 */
final class LambdaWorld implements AutoCloseable {

    static final String CLIENT_ORIGIN = "https://chat.pagenow.test";
    static final String REDIS_URL = System.getenv().getOrDefault("REDIS_URL", "redis://127.0.0.1:6379");
    private static final ObjectMapper JSON = new ObjectMapper();

    final MutableClock clock = new MutableClock(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    final TestSchema schema;
    final String redisPrefix = "pagenow-test:lambda:" + UUID.randomUUID() + ":";
    final LoopbackIssuer issuer;
    final ManagementApiStub managementApi;
    final LambdaContainer container;
    final Invocation<APIGatewayProxyResponseEvent> rest;
    final Invocation<APIGatewayV2WebSocketResponse> chat;
    final Invocation<APIGatewayV2WebSocketResponse> presence;
    final Invocation<Integer> sweep;

    LambdaWorld() throws Exception {
        this(Map.of());
    }

    /** @param extra variables set on top of {@link #environment()}, as a deployer would add them */
    LambdaWorld(Map<String, String> extra) throws Exception {
        requireRedis();
        schema = TestSchema.create("lambda");
        Migrations.apply(schema.dataSource());
        seedUsers(schema);
        issuer = new LoopbackIssuer(clock);
        managementApi = new ManagementApiStub();
        Map<String, String> env = new HashMap<>(environment());
        env.putAll(extra);
        container = LambdaContainer.fromEnvironment(env, clock,
                ManagementApiStub.CREDENTIALS);
        rest = Invocation.rest(new RestHandler(container));
        chat = Invocation.webSocket(new ChatWebSocketHandler(container));
        presence = Invocation.webSocket(new PresenceWebSocketHandler(container));
        sweep = Invocation.sweep(new PresenceSweepHandler(container));
    }

    /** The variables a deployer sets, here pointing at loopback. */
    Map<String, String> environment() {
        return environment(schema, redisPrefix, issuer, managementApi);
    }

    static Map<String, String> environment(TestSchema schema, String redisPrefix, LoopbackIssuer issuer,
                                           ManagementApiStub managementApi) {
        Map<String, String> env = new HashMap<>();
        env.put("DATABASE_URL", schema.jdbcUrl());
        env.put("DATABASE_USER", schema.user());
        env.put("DATABASE_PASSWORD", schema.password());
        env.put("REDIS_URL", REDIS_URL);
        env.put("REDIS_KEY_PREFIX", redisPrefix);
        env.put("AUTH_ISSUER", issuer.issuer());
        env.put("AUTH_JWKS_URL", issuer.jwksUrl());
        env.put("CLIENT_URL", CLIENT_ORIGIN);
        env.put("CHAT_WS_ENDPOINT", managementApi.endpoint("chat").toString());
        env.put("PRESENCE_WS_ENDPOINT", managementApi.endpoint("presence").toString());
        env.put("AWS_REGION", "us-west-2");
        return env;
    }

    String token(String userId) {
        return issuer.token(userId);
    }

    /** A fresh connection id shaped like API Gateway's. */
    static String connectionId() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 15) + "=";
    }

    /** The pushes received so far, each as (stage, connection, JSON). */
    List<Push> pushes() {
        List<Push> pushes = new ArrayList<>();
        for (ManagementApiStub.Post post : managementApi.drain()) {
            pushes.add(Push.of(post));
        }
        return pushes;
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    /** One request the Management API stub received. */
    record Push(String method, String api, String connectionId, JsonNode frame) {
        static Push of(ManagementApiStub.Post post) {
            return new Push(post.method(), post.stage(), post.connectionId(),
                    post.body().isEmpty() ? null : json(post.body()));
        }

        String type() {
            return frame == null ? null : frame.path("type").asText();
        }
    }

    /** The demo graph: alice, bob, carol, dave; alice-bob, alice-carol, bob-carol are friends. */
    static void seedUsers(TestSchema schema) throws SQLException {
        try (Connection c = schema.connect()) {
            try (PreparedStatement user = c.prepareStatement("INSERT INTO user_table (user_id, email, first_name,"
                    + " last_name, share_mode) VALUES (?, ?, ?, ?, 'default_all')")) {
                for (String[] u : new String[][] {{"alice", "Alice", "Kim"}, {"bob", "Bob", "Lee"},
                        {"carol", "Carol", "Park"}, {"dave", "Dave", "Choi"}}) {
                    user.setString(1, u[0]);
                    user.setString(2, u[0] + "@pagenow.test");
                    user.setString(3, u[1]);
                    user.setString(4, u[2]);
                    user.addBatch();
                }
                user.executeBatch();
            }
            try (PreparedStatement friends = c.prepareStatement("INSERT INTO friendship_table (user_id1, user_id2,"
                    + " accepted_at) VALUES (?, ?, now() AT TIME ZONE 'utc')")) {
                for (String[] pair : new String[][] {{"alice", "bob"}, {"alice", "carol"}, {"bob", "carol"}}) {
                    friends.setString(1, pair[0]);
                    friends.setString(2, pair[1]);
                    friends.addBatch();
                }
                friends.executeBatch();
            }
        }
    }

    static void requireRedis() {
        try (RedisClient redis = RedisClient.create(REDIS_URL)) {
            redis.ping();
        } catch (RuntimeException e) {
            fail("Redis is not reachable at " + REDIS_URL + " (set REDIS_URL, or run bash .ci/services): " + e);
        }
    }

    @Override
    public void close() {
        container.close();
        managementApi.close();
        issuer.close();
        schema.close();
        deleteKeysUnder(redisPrefix);
    }

    /** Deletes one test's Redis keys: those under its own prefix, never anything else. */
    static void deleteKeysUnder(String redisPrefix) {
        List<String> keys = keysUnder(redisPrefix);
        if (!keys.isEmpty()) {
            try (RedisClient redis = RedisClient.create(REDIS_URL)) {
                redis.del(keys.toArray(String[]::new));
            }
        }
    }

    /** One test's Redis keys, found with SCAN (the Redis is shared: no KEYS). */
    static List<String> keysUnder(String redisPrefix) {
        List<String> keys = new ArrayList<>();
        try (RedisClient redis = RedisClient.create(REDIS_URL)) {
            String cursor = ScanParams.SCAN_POINTER_START;
            ScanParams match = new ScanParams().match(redisPrefix + "*").count(1000);
            do {
                ScanResult<String> page = redis.scan(cursor, match);
                keys.addAll(page.getResult());
                cursor = page.getCursor();
            } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        }
        return keys;
    }
}
