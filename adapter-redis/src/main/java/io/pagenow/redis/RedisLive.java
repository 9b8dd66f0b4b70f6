package io.pagenow.redis;

import io.pagenow.core.delivery.port.out.ClientPush;
import io.pagenow.core.delivery.port.out.ConnectionRegistry;
import io.pagenow.core.error.StoreUnavailableException;
import io.pagenow.core.presence.port.in.Presence;
import io.pagenow.core.presence.port.out.PresenceStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Connection;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.SslOptions;
import redis.clients.jedis.SslVerifyMode;
import redis.clients.jedis.util.JedisURIHelper;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * What lives in Redis, for a composition root: the connection registry and presence store of
 * every node, the cross-node relay, the janitor of dead nodes, and a readiness check. Redis
 * failures surface as {@link StoreUnavailableException} within the configured timeout; the client
 * recovers by itself once Redis answers again. See README.md for the key layout and wiring.
 */
public final class RedisLive implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RedisLive.class);

    private final RedisConfig config;
    private final RedisClient client;
    private final HostAndPort address;
    private final JedisClientConfig clientConfig;
    private final RedisAccess redis;
    private final Keys keys;
    private final RedisConnectionRegistry registry;
    private final RedisPresenceStore presenceStore;
    private final RedisNodeJanitor janitor;
    private final LiveStateRepair repair;
    private RedisRelayClientPush relay;
    private boolean closed;

    private RedisLive(RedisConfig config, int sweepBatch) {
        this.config = config;
        URI url = config.url();
        this.address = new HostAndPort(url.getHost(), url.getPort() < 0 ? 6379 : url.getPort());
        DefaultJedisClientConfig.Builder builder = DefaultJedisClientConfig.builder()
                .protocol(RedisProtocol.RESP2)
                .connectionTimeoutMillis((int) config.timeout().toMillis())
                .socketTimeoutMillis((int) config.timeout().toMillis())
                .database(JedisURIHelper.getDBIndex(url))
                .clientName("pagenow-" + config.nodeId().replaceAll("[^A-Za-z0-9._-]", "_"));
        if (JedisURIHelper.isRedisSSLScheme(url)) {
            // The JVM's trust store, and the certificate must name the host.
            builder.sslOptions(SslOptions.builder().sslVerifyMode(SslVerifyMode.FULL).build());
        }
        String password = JedisURIHelper.getPassword(url);
        if (password != null) {
            builder.user(JedisURIHelper.getUser(url)).password(password);
        }
        this.clientConfig = builder.build();
        ConnectionPoolConfig pool = new ConnectionPoolConfig();
        pool.setMaxTotal(config.poolSize());
        pool.setMaxIdle(config.poolSize());
        pool.setMinIdle(0);
        // Without a bound a drained pool would make callers wait forever.
        pool.setMaxWait(config.timeout());
        pool.setBlockWhenExhausted(true);
        // No MBean per pool: registering one starts the platform MBean server (JMX, JFR's commands),
        // some 100 ms of a Lambda cold start, and nothing reads it.
        pool.setJmxEnabled(false);
        this.client = RedisClient.builder().hostAndPort(address).clientConfig(clientConfig).poolConfig(pool).build();
        this.redis = new RedisAccess(client, config.timeout());
        this.keys = new Keys(config.keyPrefix());
        this.registry = new RedisConnectionRegistry(redis, keys);
        this.presenceStore = new RedisPresenceStore(redis, keys, registry, sweepBatch);
        this.janitor = new RedisNodeJanitor(redis, keys, config.nodeId(), registry, config.nodeTtl());
        this.repair = new LiveStateRepair(config.nodeId());
    }

    /**
     * Builds the client and loads the scripts. Redis being down is no error here (it is logged,
     * {@link #ready()} says false and every call fails until it is back), so a node can start
     * before Redis does.
     */
    public static RedisLive connect(RedisConfig config) {
        return connect(config, RedisPresenceStore.DEFAULT_SWEEP_BATCH);
    }

    static RedisLive connect(RedisConfig config, int sweepBatch) {
        Objects.requireNonNull(config, "config");
        RedisLive live = new RedisLive(config, sweepBatch);
        try {
            live.redis.load(scripts());
        } catch (StoreUnavailableException e) {
            log.warn("Redis at {} not reachable at start; calls fail until it answers", config);
        }
        log.info("Redis: {}", config);
        return live;
    }

    static List<LuaScript> scripts() {
        List<LuaScript> all = new ArrayList<>();
        all.addAll(RedisConnectionRegistry.SCRIPTS);
        all.addAll(RedisPresenceStore.SCRIPTS);
        all.addAll(RedisRelayClientPush.SCRIPTS);
        all.addAll(NodeLiveness.SCRIPTS);
        all.addAll(RedisNodeJanitor.SCRIPTS);
        return all;
    }

    /** Connections of every node, each tagged with its node. */
    public ConnectionRegistry registry() {
        return registry;
    }

    public PresenceStore presenceStore() {
        return presenceStore;
    }

    /**
     * Starts this node's relay around its own socket holder and returns the push to give
     * {@code Deliveries}: targets on this node go to {@code local}, targets on other live nodes
     * through Redis, targets of dead nodes come back gone. Also starts the node's liveness
     * heartbeat and its relay subscription. Call once per node; a process that holds no sockets
     * (a Lambda) does not call it.
     */
    public synchronized ClientPush relay(ClientPush local) {
        Objects.requireNonNull(local, "local");
        if (relay != null || closed) {
            throw new IllegalStateException("the relay of node " + config.nodeId() + " was started already");
        }
        RedisRelayClientPush started = new RedisRelayClientPush(redis, keys, local, registry,
                new NodeLiveness(redis, keys, config, repair), push -> new RelaySubscriber(this::subscriberConnection,
                        keys.relayChannel(config.nodeId()), push::deliver, push::beat,
                        "pagenow-redis-relay-" + config.nodeId()));
        started.start();
        relay = started;
        return started;
    }

    /**
     * What this node does when its live state in Redis was lost or is stale: it was presumed dead
     * (its liveness key expired in a stall, or Redis restarted empty, was flushed or failed over),
     * or Redis was unreachable for a while (registrations or unregistrations may have failed).
     * The repair should register every socket the node holds again and forget the connections
     * registered under this node that it no longer holds ({@link #registeredHere()}); it runs on a
     * thread of its own, and when it throws it is run again after the next beat.
     */
    public void onLiveStateLost(Consumer<String> repairWithReason) {
        repair.set(repairWithReason);
    }

    /** The ids of the connections registered under this node. */
    public Set<String> registeredHere() {
        return redis.call(client -> client.smembers(keys.nodeConnections(config.nodeId())));
    }

    /**
     * The janitor: closes every connection still registered to a node whose liveness key
     * expired, through {@code presence.disconnect} for presence sockets (so a user who lost the
     * last one goes offline once and friends get one {@code presence-timeout}) and the registry
     * for chat sockets. Run it on a schedule on every node, e.g. beside the presence sweep; running
     * it on several nodes at once is safe.
     *
     * @return how many connections this call removed
     * @throws StoreUnavailableException when Redis cannot be reached
     */
    public int removeConnectionsOfDeadNodes(Presence presence) {
        return janitor.removeConnectionsOfDeadNodes(Objects.requireNonNull(presence, "presence"));
    }

    /** True when Redis answers PING within the timeout and, once the relay runs, its subscription is up. */
    public boolean ready() {
        try {
            boolean pong = "PONG".equals(redis.probe(RedisClient::ping));
            RedisRelayClientPush running;
            synchronized (this) {
                running = relay;
            }
            return pong && (running == null || running.subscriber().subscribed());
        } catch (StoreUnavailableException e) {
            return false;
        }
    }

    public String nodeId() {
        return config.nodeId();
    }

    public RedisConfig config() {
        return config;
    }

    /** The running relay, for tests in this package. */
    synchronized RedisRelayClientPush runningRelay() {
        return relay;
    }

    private Connection subscriberConnection() {
        return new Connection(address, clientConfig);
    }

    /** Stops the relay (deleting this node's liveness key) and closes every connection. */
    @Override
    public void close() {
        RedisRelayClientPush running;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            running = relay;
        }
        if (running != null) {
            running.close();
        }
        repair.close();
        redis.close();
        client.close();
    }
}
