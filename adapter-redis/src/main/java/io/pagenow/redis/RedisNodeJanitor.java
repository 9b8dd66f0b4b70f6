package io.pagenow.redis;

import io.pagenow.core.delivery.Channel;
import io.pagenow.core.delivery.Connection;
import io.pagenow.core.delivery.port.out.ConnectionRegistry;
import io.pagenow.core.presence.port.in.Presence;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Cleans up after nodes that died: every connection a node without a liveness key still holds
 * is closed the way its own node would have closed it, so a user whose last presence socket was
 * there goes offline and friends hear it. Safe on many nodes at once: each connection is claimed
 * by exactly one janitor (removal from the dead node's set), and the registry's unregister and
 * the store's goOffline are atomic, so each user goes offline once, whichever janitor, presence
 * sweep or gone push gets there first. A janitor that dies between claim and unregister leaves
 * that connection to the relay (a push to it reports it gone) and the user to the presence sweep.
 */
final class RedisNodeJanitor {

    /** KEYS: liveness key, node's connection set, node list. ARGV: node id. Forgets a dead node left empty. */
    static final LuaScript FORGET_NODE = LuaScript.of("""
            if redis.call('EXISTS', KEYS[1]) == 0 and redis.call('SCARD', KEYS[2]) == 0 then
              redis.call('SREM', KEYS[3], ARGV[1])
              return 1
            end
            return 0
            """);

    static final List<LuaScript> SCRIPTS = List.of(FORGET_NODE);

    private final RedisAccess redis;
    private final Keys keys;
    private final String nodeId;
    private final ConnectionRegistry registry;
    private final Duration grace;

    /** @param grace how long a node must stay without its liveness key before it counts as dead */
    RedisNodeJanitor(RedisAccess redis, Keys keys, String nodeId, ConnectionRegistry registry, Duration grace) {
        this.redis = redis;
        this.keys = keys;
        this.nodeId = nodeId;
        this.registry = registry;
        this.grace = grace;
    }

    /** @return how many connections were removed by this call */
    int removeConnectionsOfDeadNodes(Presence presence) {
        int removed = 0;
        for (String dead : deadNodes()) {
            for (Connection connection : claimConnectionsOf(dead)) {
                if (connection.channel() == Channel.PRESENCE) {
                    // Unregisters, and takes the user offline when it was the last presence socket.
                    presence.disconnect(connection.id());
                } else {
                    registry.unregister(connection.id());
                }
                removed++;
            }
            redis.eval(FORGET_NODE, List.of(keys.nodeAlive(dead), keys.nodeConnections(dead), keys.nodes()),
                    List.of(dead));
        }
        return removed;
    }

    /**
     * Nodes that ever beat, other than this one, proven dead: closed, or without their liveness key
     * for longer than the grace. A node whose key just went missing (a stall, Redis restarted or
     * flushed) is only marked: it beats again and registers its sockets itself.
     */
    List<String> deadNodes() {
        Set<String> nodes = redis.call(client -> client.smembers(keys.nodes()));
        nodes.remove(nodeId);
        List<String> dead = new ArrayList<>();
        for (String node : nodes) {
            Object proven = redis.eval(NodeLiveness.DEAD,
                    List.of(keys.nodeAlive(node), keys.nodeDeadSince(node), keys.nodes()),
                    List.of(node, Long.toString(grace.toMillis())));
            if (Long.valueOf(1).equals(proven)) {
                dead.add(node);
            }
        }
        return dead;
    }

    /**
     * Claims the connections a node still holds: removing an id from the node's set is the claim,
     * so when janitors run on several nodes at once each connection is handled by one of them.
     */
    private List<Connection> claimConnectionsOf(String node) {
        List<String> ids = new ArrayList<>(redis.call(client -> client.smembers(keys.nodeConnections(node))));
        if (ids.isEmpty()) {
            return List.of();
        }
        return redis.call(client -> {
            List<Response<Long>> claims = new ArrayList<>(ids.size());
            List<Response<Map<String, String>>> hashes = new ArrayList<>(ids.size());
            try (Pipeline pipeline = client.pipelined()) {
                for (String id : ids) {
                    claims.add(pipeline.srem(keys.nodeConnections(node), id));
                    hashes.add(pipeline.hgetAll(keys.connection(id)));
                }
                pipeline.sync();
            }
            List<Connection> claimed = new ArrayList<>(ids.size());
            for (int i = 0; i < ids.size(); i++) {
                Map<String, String> hash = hashes.get(i).get();
                // A missing hash or another node: unregistered or registered again meanwhile, nothing to do.
                if (claims.get(i).get() == 1L && hash.containsKey("user") && node.equals(hash.get("node"))) {
                    claimed.add(new Connection(ids.get(i), hash.get("user"), Keys.channel(hash.get("channel")), node));
                }
            }
            return claimed;
        });
    }
}
