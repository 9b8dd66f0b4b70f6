package io.pagenow.redis;

import io.pagenow.core.delivery.port.out.ClientPush;
import io.pagenow.core.delivery.Connection;
import io.pagenow.core.delivery.port.out.ConnectionRegistry;
import io.pagenow.core.delivery.Event;
import io.pagenow.core.error.StoreUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Pushes to every node's sockets. Targets this node holds go to the node's own push; targets of
 * another node are published on that node's relay channel, whose subscriber hands them to its
 * own push; targets of a node that is not alive are reported gone, so the caller forgets them.
 * It beats this node's {@link NodeLiveness} while it runs.
 */
final class RedisRelayClientPush implements ClientPush, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RedisRelayClientPush.class);

    /**
     * KEYS: the liveness key of each target node, then each one's dead-since key, then the node
     * list. ARGV: each node's channel, each node's message, each node's id, the grace in millis.
     * Publishes to every node; returns per node the subscribers reached, 0 when none listened but
     * the node is not proven dead (reconnecting, stalled, its key lost), -1 when it is proven dead
     * (its targets are gone). One round trip per push.
     */
    static final LuaScript PUBLISH = LuaScript.of(NodeLiveness.PROVEN_DEAD + """
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

    static final List<LuaScript> SCRIPTS = List.of(PUBLISH);

    private final RedisAccess redis;
    private final Keys keys;
    private final ClientPush local;
    private final ConnectionRegistry registry;
    private final NodeLiveness liveness;
    private final RelaySubscriber subscriber;

    /**
     * @param liveness      this node's, beaten on the relay's schedule and on each (re)subscription
     * @param subscriberFor builds the subscriber that hands this relay's messages to {@link #deliver}
     */
    RedisRelayClientPush(RedisAccess redis, Keys keys, ClientPush local, ConnectionRegistry registry,
                         NodeLiveness liveness, Function<RedisRelayClientPush, RelaySubscriber> subscriberFor) {
        this.redis = redis;
        this.keys = keys;
        this.local = local;
        this.registry = registry;
        this.liveness = liveness;
        this.subscriber = subscriberFor.apply(this);
    }

    /** Beats once now (so pushes from other nodes find this node alive), then on a schedule, and subscribes. */
    void start() {
        liveness.start(() -> subscriber.checkHealth(liveness.ttl()));
        subscriber.start();
    }

    /** Refreshes this node's liveness key: on each (re)subscription, since Redis may have lost it. */
    void beat() {
        liveness.beat();
    }

    @Override
    public Set<String> push(List<Connection> targets, Event event) {
        List<Connection> here = new ArrayList<>();
        Map<String, List<Connection>> elsewhere = new LinkedHashMap<>();
        for (Connection target : targets) {
            if (target.nodeId().equals(liveness.nodeId())) {
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
        args.add(Long.toString(liveness.ttl().toMillis()));
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
            relayed = RelayCodec.decode(message, liveness.nodeId());
        } catch (IllegalArgumentException e) {
            log.warn("relay: dropped a malformed message on {}", keys.relayChannel(liveness.nodeId()));
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

    RelaySubscriber subscriber() {
        return subscriber;
    }

    /** Stops beating and listening, and deletes the liveness key so other nodes see this node gone at once. */
    @Override
    public void close() {
        liveness.stopBeating();
        subscriber.close();
        liveness.leave();
    }
}
