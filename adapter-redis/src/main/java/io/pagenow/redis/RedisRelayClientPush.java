package io.pagenow.redis;

import io.pagenow.core.delivery.ClientPush;
import io.pagenow.core.delivery.Connection;
import io.pagenow.core.delivery.ConnectionRegistry;
import io.pagenow.core.delivery.Event;
import io.pagenow.core.error.StoreUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Pushes to every node's sockets. Targets this node holds go to the node's own push; targets of
 * another node are published on that node's relay channel, whose subscriber hands them to its
 * own push; targets of a node that is not alive are reported gone, so the caller forgets them.
 * It also keeps this node alive in Redis: a key with a TTL, refreshed every third of it.
 */
final class RedisRelayClientPush implements ClientPush, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RedisRelayClientPush.class);

    /**
     * KEYS: the liveness key of each target node. ARGV: each node's channel, then each node's
     * message. Publishes to the nodes alive; returns per node the subscribers reached, or -1
     * when the node is dead. Checking and publishing in one script: one round trip per push.
     */
    static final LuaScript PUBLISH = LuaScript.of("""
            local n = #KEYS
            local reached = {}
            for i = 1, n do
              if redis.call('EXISTS', KEYS[i]) == 1 then
                reached[i] = redis.call('PUBLISH', ARGV[i], ARGV[n + i])
              else
                reached[i] = -1
              end
            end
            return reached
            """);

    /** KEYS: liveness key, node list. ARGV: node id, TTL millis. Returns 1 when the key was still there. */
    static final LuaScript BEAT = LuaScript.of("""
            local alive = redis.call('EXISTS', KEYS[1])
            redis.call('SET', KEYS[1], '1', 'PX', ARGV[2])
            redis.call('SADD', KEYS[2], ARGV[1])
            return alive
            """);

    static final List<LuaScript> SCRIPTS = List.of(PUBLISH, BEAT);

    private final RedisAccess redis;
    private final Keys keys;
    private final String nodeId;
    private final ClientPush local;
    private final ConnectionRegistry registry;
    private final Duration nodeTtl;
    private final RelaySubscriber subscriber;
    private final ScheduledExecutorService beats;
    private volatile boolean beaten;

    /** @param subscriberFor builds the subscriber that hands this relay's messages to {@link #deliver} */
    RedisRelayClientPush(RedisAccess redis, Keys keys, String nodeId, ClientPush local, ConnectionRegistry registry,
                         Duration nodeTtl, Function<RedisRelayClientPush, RelaySubscriber> subscriberFor) {
        this.redis = redis;
        this.keys = keys;
        this.nodeId = nodeId;
        this.local = local;
        this.registry = registry;
        this.nodeTtl = nodeTtl;
        this.subscriber = subscriberFor.apply(this);
        this.beats = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "pagenow-redis-beat-" + nodeId);
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Beats once now (so pushes from other nodes find this node alive), then on a schedule, and subscribes. */
    void start() {
        beat();
        long period = Math.max(100, nodeTtl.toMillis() / 3);
        beats.scheduleWithFixedDelay(this::beatAndCheck, period, period, TimeUnit.MILLISECONDS);
        subscriber.start();
    }

    @Override
    public Set<String> push(List<Connection> targets, Event event) {
        List<Connection> here = new ArrayList<>();
        Map<String, List<Connection>> elsewhere = new LinkedHashMap<>();
        for (Connection target : targets) {
            if (target.nodeId().equals(nodeId)) {
                here.add(target);
            } else {
                elsewhere.computeIfAbsent(target.nodeId(), node -> new ArrayList<>()).add(target);
            }
        }
        Set<String> gone = new HashSet<>();
        if (!here.isEmpty()) {
            gone.addAll(local.push(here, event));
        }
        if (!elsewhere.isEmpty()) {
            gone.addAll(publish(elsewhere, event));
        }
        return gone;
    }

    private Set<String> publish(Map<String, List<Connection>> byNode, Event event) {
        String encodedEvent = RelayCodec.encodeEvent(event);
        List<String> aliveKeys = new ArrayList<>(byNode.size());
        List<String> args = new ArrayList<>(byNode.size() * 2);
        List<String> messages = new ArrayList<>(byNode.size());
        for (Map.Entry<String, List<Connection>> node : byNode.entrySet()) {
            aliveKeys.add(keys.nodeAlive(node.getKey()));
            args.add(keys.relayChannel(node.getKey()));
            messages.add(RelayCodec.encode(node.getValue(), encodedEvent));
        }
        args.addAll(messages);
        List<?> reached;
        try {
            reached = (List<?>) redis.eval(PUBLISH, aliveKeys, args);
        } catch (StoreUnavailableException e) {
            // A push never fails its caller for some targets; what was stored stays stored.
            log.warn("relay: Redis unavailable, pushes to {} other node(s) not delivered", byNode.size());
            return Set.of();
        }
        Set<String> gone = new HashSet<>();
        int i = 0;
        for (Map.Entry<String, List<Connection>> node : byNode.entrySet()) {
            long count = (Long) reached.get(i++);
            if (count < 0) {
                node.getValue().forEach(target -> gone.add(target.id()));
            } else if (count == 0) {
                log.warn("relay: node {} is alive but not subscribed (reconnecting?); {} push(es) not delivered",
                        node.getKey(), node.getValue().size());
            }
        }
        return gone;
    }

    /** A message from another node: push to this node's sockets and forget the ones found gone. */
    void deliver(String message) {
        RelayCodec.Relayed relayed;
        try {
            relayed = RelayCodec.decode(message, nodeId);
        } catch (IllegalArgumentException e) {
            log.warn("relay: dropped a malformed message on {}", keys.relayChannel(nodeId));
            return;
        }
        for (String gone : local.push(relayed.targets(), relayed.event())) {
            try {
                registry.unregister(gone);
            } catch (StoreUnavailableException e) {
                log.warn("relay: could not forget a closed connection, Redis unavailable");
            }
        }
    }

    /** Refreshes this node's liveness key; run on each (re)subscription too, since Redis may have lost it. */
    void beat() {
        try {
            long wasAlive = (Long) redis.eval(BEAT, List.of(keys.nodeAlive(nodeId), keys.nodes()),
                    List.of(nodeId, Long.toString(nodeTtl.toMillis())));
            if (wasAlive == 0 && beaten) {
                log.warn("node {} was presumed dead (Redis restarted or this node stalled past {}): "
                        + "connections it registered before may be gone from Redis", nodeId, nodeTtl);
            }
            beaten = true;
        } catch (StoreUnavailableException e) {
            log.warn("node {} heartbeat failed: Redis unavailable", nodeId);
        }
    }

    private void beatAndCheck() {
        beat();
        subscriber.checkHealth(nodeTtl);
    }

    RelaySubscriber subscriber() {
        return subscriber;
    }

    /** Stops beating and listening, and deletes the liveness key so other nodes see this node gone at once. */
    @Override
    public void close() {
        beats.shutdownNow();
        try {
            beats.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        subscriber.close();
        try {
            redis.call(client -> client.del(keys.nodeAlive(nodeId)));
        } catch (StoreUnavailableException e) {
            log.warn("node {} could not delete its liveness key; it expires within {}", nodeId, nodeTtl);
        }
    }
}
