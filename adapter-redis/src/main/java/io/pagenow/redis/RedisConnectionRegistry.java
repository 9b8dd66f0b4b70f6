package io.pagenow.redis;

import io.pagenow.core.delivery.Channel;
import io.pagenow.core.delivery.Connection;
import io.pagenow.core.delivery.port.out.ConnectionRegistry;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The connections of every node in Redis. Three structures per connection, changed together by
 * one script each: the connection's own hash, its user's per-channel hash
 * ({@code connectionId -> nodeId}, so one HGETALL answers a fan-out) and its node's set (so the
 * janitor finds what a dead node left behind).
 */
final class RedisConnectionRegistry implements ConnectionRegistry {

    /** KEYS: connection, user's channel hash, node set. ARGV: id, user, channel, node, user-hash prefix, node-set prefix. */
    static final LuaScript REGISTER = LuaScript.of("""
            local old = redis.call('HMGET', KEYS[1], 'user', 'channel', 'node')
            if old[1] then
              redis.call('HDEL', ARGV[5] .. old[2] .. ':' .. old[1], ARGV[1])
              redis.call('SREM', ARGV[6] .. old[3], ARGV[1])
            end
            redis.call('HSET', KEYS[1], 'user', ARGV[2], 'channel', ARGV[3], 'node', ARGV[4])
            redis.call('HSET', KEYS[2], ARGV[1], ARGV[4])
            redis.call('SADD', KEYS[3], ARGV[1])
            return 1
            """);

    /** KEYS: connection. ARGV: id, user-hash prefix, node-set prefix. Returns user, channel, node, remaining. */
    static final LuaScript UNREGISTER = LuaScript.of("""
            local c = redis.call('HMGET', KEYS[1], 'user', 'channel', 'node')
            if not c[1] then
              return false
            end
            redis.call('DEL', KEYS[1])
            local userKey = ARGV[2] .. c[2] .. ':' .. c[1]
            redis.call('HDEL', userKey, ARGV[1])
            redis.call('SREM', ARGV[3] .. c[3], ARGV[1])
            return {c[1], c[2], c[3], redis.call('HLEN', userKey)}
            """);

    static final List<LuaScript> SCRIPTS = List.of(REGISTER, UNREGISTER);

    private final RedisAccess redis;
    private final Keys keys;

    RedisConnectionRegistry(RedisAccess redis, Keys keys) {
        this.redis = redis;
        this.keys = keys;
    }

    @Override
    public void register(Connection connection) {
        String channel = Keys.name(connection.channel());
        redis.eval(REGISTER,
                List.of(keys.connection(connection.id()), keys.userConnections(connection.channel(), connection.userId()),
                        keys.nodeConnections(connection.nodeId())),
                List.of(connection.id(), connection.userId(), channel, connection.nodeId(),
                        keys.userConnectionsRoot(), keys.nodeConnectionsPrefix()));
    }

    @Override
    public Optional<Removal> unregister(String connectionId) {
        Object reply = redis.eval(UNREGISTER, List.of(keys.connection(connectionId)),
                List.of(connectionId, keys.userConnectionsRoot(), keys.nodeConnectionsPrefix()));
        if (reply == null) {
            return Optional.empty();
        }
        List<?> fields = (List<?>) reply;
        Connection connection = new Connection(connectionId, (String) fields.get(0), Keys.channel((String) fields.get(1)),
                (String) fields.get(2));
        return Optional.of(new Removal(connection, Math.toIntExact((Long) fields.get(3))));
    }

    @Override
    public Optional<Connection> find(String connectionId) {
        List<String> fields = redis.call(client -> client.hmget(keys.connection(connectionId), "user", "channel", "node"));
        if (fields.get(0) == null) {
            return Optional.empty();
        }
        return Optional.of(new Connection(connectionId, fields.get(0), Keys.channel(fields.get(1)), fields.get(2)));
    }

    /** One HGETALL per user, all in one batch of the pipeline. */
    @Override
    public List<Connection> connectionsOf(Collection<String> userIds, Channel channel) {
        Set<String> users = new LinkedHashSet<>(userIds);
        if (users.isEmpty()) {
            return List.of();
        }
        List<Map<String, String>> held = redis.hashes(users.stream().map(user -> keys.userConnections(channel, user)).toList());
        List<Connection> connections = new ArrayList<>();
        int i = 0;
        for (String user : users) {
            for (Map.Entry<String, String> connection : held.get(i++).entrySet()) {
                connections.add(new Connection(connection.getKey(), user, channel, connection.getValue()));
            }
        }
        return connections;
    }
}
