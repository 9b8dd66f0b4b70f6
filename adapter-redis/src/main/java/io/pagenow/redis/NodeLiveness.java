package io.pagenow.redis;

import io.pagenow.core.error.StoreUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * This node's liveness in Redis: a key with a TTL, refreshed every third of it and deleted when
 * the node leaves, and the proof, shared by the relay and the janitor, that another node is dead.
 * The beat is also how a node notices that its live state was lost or may be stale, and asks for
 * the repair.
 */
final class NodeLiveness {

    private static final Logger log = LoggerFactory.getLogger(NodeLiveness.class);

    /**
     * Marks a node not heard of (no liveness key) and says whether it is proven dead: a node that
     * never beat (not in the node list), that closed, or that stayed without a key past the grace.
     * KEYS[a]: liveness key, KEYS[d]: dead-since key; node list in KEYS[l]. Shared by the relay
     * and the janitor, so both call a node dead on the same proof.
     */
    static final String PROVEN_DEAD = """
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

    static final List<LuaScript> SCRIPTS = List.of(DEAD, BEAT, LEAVE);

    private final RedisAccess redis;
    private final Keys keys;
    private final RedisConfig config;
    private final LiveStateRepair repair;
    private final ScheduledExecutorService beats;
    private volatile boolean beaten;
    /** Only the beat thread and the subscriber thread (on subscribing) beat; volatile for both. */
    private volatile int failedBeats;

    /** @param config this node's id and liveness TTL */
    NodeLiveness(RedisAccess redis, Keys keys, RedisConfig config, LiveStateRepair repair) {
        this.redis = redis;
        this.keys = keys;
        this.config = config;
        this.repair = repair;
        this.beats = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "pagenow-redis-beat-" + config.nodeId());
            thread.setDaemon(true);
            return thread;
        });
    }

    String nodeId() {
        return config.nodeId();
    }

    /** How long a node may go without beating before it is presumed dead; also the grace before it is proven so. */
    Duration ttl() {
        return config.nodeTtl();
    }

    /** Beats once now (so pushes from other nodes find this node alive), then on a schedule, each beat followed by {@code afterEachBeat}. */
    void start(Runnable afterEachBeat) {
        beat();
        long period = beatPeriod(ttl()).toMillis();
        beats.scheduleWithFixedDelay(() -> {
            beat();
            afterEachBeat.run();
        }, period, period, TimeUnit.MILLISECONDS);
    }

    /**
     * A third of the TTL, at most a second: the beat is also how a node notices it was presumed
     * dead, so it sets how soon its sockets are registered again after Redis lost them.
     */
    static Duration beatPeriod(Duration nodeTtl) {
        return Duration.ofMillis(Math.max(100, Math.min(1000, nodeTtl.toMillis() / 3)));
    }

    /**
     * Refreshes this node's liveness key; run on each (re)subscription of the relay too, since
     * Redis may have lost it. When the key was gone (this node presumed dead: Redis restarted,
     * flushed, failed over, or this node or Redis stalled past the TTL) or beats failed before (an
     * outage, in which registrations may have failed), what this node registered may be gone or
     * stale, so the repair runs; a repair that fails is run again after the next beat.
     */
    void beat() {
        String nodeId = nodeId();
        try {
            // A probe: the beat runs every second even while the circuit is open, and closes it once
            // Redis answers again, so recovery does not wait for a request to be let through.
            long wasAlive = (Long) redis.probeEval(BEAT, List.of(keys.nodeAlive(nodeId), keys.nodes(),
                            keys.nodeDeadSince(nodeId)),
                    List.of(nodeId, Long.toString(ttl().toMillis())));
            if (wasAlive == 0 && beaten) {
                log.warn("node {} was presumed dead (Redis restarted or flushed, or a stall past {}): "
                        + "registering its sockets again", nodeId, ttl());
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

    /** Stops beating; the key expires within the TTL unless {@link #leave} deletes it first. */
    void stopBeating() {
        beats.shutdownNow();
        try {
            beats.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the repair and deletes the liveness key, so other nodes see this node gone at once. */
    void leave() {
        repair.close();
        String nodeId = nodeId();
        try {
            redis.eval(LEAVE, List.of(keys.nodeAlive(nodeId), keys.nodeDeadSince(nodeId)),
                    List.of(Long.toString(ttl().toMillis())));
        } catch (StoreUnavailableException e) {
            log.warn("node {} could not delete its liveness key; it expires within {}", nodeId, ttl());
        }
    }
}
