package io.pagenow.javalin;

import io.pagenow.db.Migrations;
import io.pagenow.db.testing.TestSchema;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The real stores the server is wired to in these tests: a fresh PostgreSQL schema holding the demo
 * users (alice, bob, carol are friends; dave has none) and a fresh Redis key prefix on the shared
 * Redis ({@code REDIS_URL}, default loopback 6379). Nothing else is touched: the schema is dropped
 * and only keys under the prefix are deleted. An unreachable store fails the test, never skips it.
 */
final class LiveStores {

    static final String REDIS_URL = System.getenv().getOrDefault("REDIS_URL", "redis://127.0.0.1:6379");

    private LiveStores() {
    }

    /** A migrated schema with the demo users and their accepted friendships in the user service's tables. */
    static TestSchema seededSchema(String label) {
        TestSchema schema = TestSchema.create(label);
        try {
            Migrations.apply(schema.jdbcUrl(), schema.user(), schema.password());
            try (Connection c = schema.connect()) {
                for (String[] user : new String[][] {{"alice", "Alice", "Kim"}, {"bob", "Bob", "Lee"},
                        {"carol", "Carol", "Park"}, {"dave", "Dave", "Choi"}}) {
                    try (PreparedStatement p = c.prepareStatement("INSERT INTO user_table (user_id, email, first_name,"
                            + " last_name, share_mode) VALUES (?, ?, ?, ?, 'default_all')")) {
                        p.setString(1, user[0]);
                        p.setString(2, user[0] + "@example.com");
                        p.setString(3, user[1]);
                        p.setString(4, user[2]);
                        p.executeUpdate();
                    }
                }
                for (String[] pair : new String[][] {{"alice", "bob"}, {"carol", "alice"}, {"bob", "carol"}}) {
                    try (PreparedStatement p = c.prepareStatement("INSERT INTO friendship_table (user_id1, user_id2,"
                            + " requested_at, accepted_at) VALUES (?, ?, now(), now())")) {
                        p.setString(1, pair[0]);
                        p.setString(2, pair[1]);
                        p.executeUpdate();
                    }
                }
            }
            return schema;
        } catch (SQLException | RuntimeException e) {
            schema.close();
            throw new IllegalStateException("could not prepare schema " + schema.name(), e);
        }
    }

    /** The variables that put the server's conversations and social graph on the schema. */
    static Map<String, String> database(TestSchema schema) {
        Map<String, String> env = new HashMap<>();
        env.put("DATABASE_URL", schema.jdbcUrl());
        env.put("DATABASE_USER", schema.user());
        env.put("DATABASE_PASSWORD", schema.password());
        env.put("DATABASE_POOL_SIZE", "4");
        return env;
    }

    /** The variables that put the server's live state on Redis under the prefix, as node {@code nodeId}. */
    static Map<String, String> redis(String url, String prefix, String nodeId) {
        return Map.of("REDIS_URL", url, "REDIS_KEY_PREFIX", prefix, "NODE_ID", nodeId);
    }

    /** Both stores, for one node. */
    static Map<String, String> both(TestSchema schema, String prefix, String nodeId) {
        Map<String, String> env = database(schema);
        env.putAll(redis(REDIS_URL, prefix, nodeId));
        return env;
    }

    /** A key prefix nobody else uses; fails the test when Redis does not answer. */
    static String freshRedisPrefix() {
        try (RedisClient redis = RedisClient.create(URI.create(REDIS_URL))) {
            redis.ping();
        } catch (RuntimeException e) {
            fail("Redis is not reachable at " + REDIS_URL + " (set REDIS_URL, or run bash .ci/services): " + e);
        }
        return "pagenow-test:" + UUID.randomUUID() + ":";
    }

    /** A look at the keys directly, for checks the protocol cannot show. */
    static RedisClient redisClient() {
        return RedisClient.create(URI.create(REDIS_URL));
    }

    /** Deletes the test's keys: only those under its own prefix. */
    static void deleteRedisKeys(String prefix) {
        try (RedisClient redis = redisClient()) {
            List<String> keys = new ArrayList<>();
            ScanParams match = new ScanParams().match(prefix + "*").count(1000);
            String cursor = ScanParams.SCAN_POINTER_START;
            do {
                ScanResult<String> page = redis.scan(cursor, match);
                keys.addAll(page.getResult());
                cursor = page.getCursor();
            } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
            if (!keys.isEmpty()) {
                redis.del(keys.toArray(String[]::new));
            }
        }
    }
}
