package io.pagenow.redis;

import io.pagenow.core.delivery.port.out.ClientPush;
import io.pagenow.core.delivery.Connection;
import io.pagenow.core.delivery.port.out.ConnectionRegistry;
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
     * Marks a node not heard of (no liveness key) and says whether it is proven dead: a node that
     * never beat (not in the node list), that closed, or that stayed without a key past the grace.
     * KEYS[a]: liveness key, KEYS[d]: dead-since key; node list in KEYS[l]. Shared by the relay
     * and the janitor, so both call a node dead on the same proof.
     */
    private static final String PROVEN_DEAD = """
            local function proven_dead(alive, deadSince, nodes, node, graceMillis)
              if redis.call('EXISTS', alive) == 1 then
                return false
              end
              if redis.call('SISMEMBER', nodes, node) == 0 then
                return true
              end
              local t = redis.call('TIME')
              local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
              redis.call('SET', deadSince, tostring(now), 'NX', 'PX', graceMillis * 20)
              local since = tonumber(redis.call('GET', deadSince))
              return now - since >= graceMillis
            end
            """;

    /**
     * KEYS: the liveness key of each target node, then each one's dead-since key, then the node
     * list. ARGV: each node's channel, each node's message, each node's id, the grace in millis.
     * Publishes to every node; returns per node the subscribers reached, 0 when none listened but
     * the node is not proven dead (reconnecting, stalled, its key lost), -1 when it is proven dead
     * (its targets are gone). One round trip per push.
     */
    static final LuaScript PUBLISH = LuaScript.of(PROVEN_DEAD + """
            local n = (#KEYS - 1) / 2
            local grace = tonumber(ARGV[3 * n + 1])
            local reached = {}
            for i = 1, n do
              reached[i] = redis.call('PUBLISH', ARGV[i], ARGV[n + i])
              if reached[i] == 0 and proven_dead(KEYS[i], KEYS[n + i], KEYS[#KEYS], ARGV[2 * n + i], grace) then
                reached[i] = -1
              end
            end
            return reached
            """);

    /** KEYS: liveness key, dead-since key, node list. ARGV: node id, grace millis. 1 when proven dead. */
    static final LuaScript DEAD = LuaScript.of(PROVEN_DEAD + """
            if proven_dead(KEYS[1], KEYS[2], KEYS[3], ARGV[1], tonumber(ARGV[2])) then
              return 1
            end
            return 0
            """);

    /**
     * KEYS: liveness key, node list, dead-since key. ARGV: node id, TTL
     * millis. Returns 1 when the key was still there, 0 when this node was presumed dead (its key
     * expired, or Redis lost it).
     */
    static final LuaScript BEAT = LuaScript.of("""
            local alive = redis.call('EXISTS', KEYS[1])
            redis.call('SET', KEYS[1], '1', 'PX', ARGV[2])
            redis.call('SADD', KEYS[2], ARGV[1])
            redis.call('DEL', KEYS[3])
            return alive
            """);

    /** KEYS: liveness key, dead-since key. ARGV: TTL millis. A node that closes is dead at once: that is proof. */
    static final LuaScript LEAVE = LuaScript.of("""
            redis.call('DEL', KEYS[1])
            redis.call('SET', KEYS[2], '0', 'PX', tonumber(ARGV[1]) * 20)
            return 1
            """);

    static final List<LuaScript> SCRIPTS = List.of(PUBLISH, DEAD, BEAT, LEAVE);

    private final RedisAccess redis;
    private final Keys keys;
    private final String nodeId;
    private final ClientPush local;
    private final ConnectionRegistry registry;
    private final Duration nodeTtl;
    private final RelaySubscriber subscriber;
    private final ScheduledExecutorService beats;
    private final LiveStateRepair repair;
    private volatile boolean beaten;
    /** Only the beat thread and the subscriber thread (on subscribing) beat; volatile for both. */
    private volatile int failedBeats;

    /** @param subscriberFor builds the subscriber that hands this relay's messages to {@link #deliver} */
    RedisRelayClientPush(RedisAccess redis, Keys keys, String nodeId, ClientPush local, ConnectionRegistry registry,
                         Duration nodeTtl, LiveStateRepair repair,
                         Function<RedisRelayClientPush, RelaySubscriber> subscriberFor) {
        this.redis = redis;
        this.keys = keys;
        this.nodeId = nodeId;
        this.local = local;
        this.registry = registry;
        this.nodeTtl = nodeTtl;
        this.repair = repair;
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
        long period = beatPeriod(nodeTtl).toMillis();
        beats.scheduleWithFixedDelay(this::beatAndCheck, period, period, TimeUnit.MILLISECONDS);
        subscriber.start();
    }

    /**
     * A third of the TTL, at most a second: the beat is also how a node notices it was presumed
     * dead, so it sets how soon its sockets are registered again after Redis lost them.
     */
    static Duration beatPeriod(Duration nodeTtl) {
        return Duration.ofMillis(Math.max(100, Math.min(1000, nodeTtl.toMillis() / 3)));
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
        List<String> scriptKeys = new ArrayList<>(byNode.size() * 2 + 1);
        List<String> deadKeys = new ArrayList<>(byNode.size());
        List<String> args = new ArrayList<>(byNode.size() * 3 + 1);
        List<String> messages = new ArrayList<>(byNode.size());
        for (Map.Entry<String, List<Connection>> node : byNode.entrySet()) {
            scriptKeys.add(keys.nodeAlive(node.getKey()));
            deadKeys.add(keys.nodeDeadSince(node.getKey()));
            args.add(keys.relayChannel(node.getKey()));
            messages.add(RelayCodec.encode(node.getValue(), encodedEvent));
        }
        scriptKeys.addAll(deadKeys);
        scriptKeys.add(keys.nodes());
        args.addAll(messages);
        args.addAll(byNode.keySet());
        args.add(Long.toString(nodeTtl.toMillis()));
        List<?> reached;
        try {
            reached = (List<?>) redis.eval(PUBLISH, scriptKeys, args);
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
                log.warn("relay: node {} is not listening and not proven dead (reconnecting or stalled); {} push(es) not delivered",
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

    /**
     * Refreshes this node's liveness key; run on each (re)subscription too, since Redis may have
     * lost it. When the key was gone (this node presumed dead: Redis restarted, flushed, failed
     * over, or this node or Redis stalled past the TTL) or beats failed before (an outage, in
     * which registrations may have failed), what this node registered may be gone or stale, so
     * the repair runs; a repair that fails is run again after the next beat.
     */
    void beat() {
        try {
            // A probe: the beat runs every second even while the circuit is open, and closes it once
            // Redis answers again, so recovery does not wait for a request to be let through.
            long wasAlive = (Long) redis.probeEval(BEAT, List.of(keys.nodeAlive(nodeId), keys.nodes(),
                            keys.nodeDeadSince(nodeId)),
                    List.of(nodeId, Long.toString(nodeTtl.toMillis())));
            if (wasAlive == 0 && beaten) {
                log.warn("node {} was presumed dead (Redis restarted or flushed, or a stall past {}): "
                        + "registering its sockets again", nodeId, nodeTtl);
                repair.request("presumed-dead");
            } else if (failedBeats > 0) {
                repair.request("outage");
            } else {
                repair.retryPending();
            }
            failedBeats = 0;
            beaten = true;
        } catch (StoreUnavailableException e) {
            // Once per outage: the beat runs every second.
            if (failedBeats++ == 0) {
                log.warn("node {} heartbeat failed: Redis unavailable", nodeId);
            }
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
        repair.close();
        try {
            redis.eval(LEAVE, List.of(keys.nodeAlive(nodeId), keys.nodeDeadSince(nodeId)),
                    List.of(Long.toString(nodeTtl.toMillis())));
        } catch (StoreUnavailableException e) {
            log.warn("node {} could not delete its liveness key; it expires within {}", nodeId, nodeTtl);
        }
    }
}
