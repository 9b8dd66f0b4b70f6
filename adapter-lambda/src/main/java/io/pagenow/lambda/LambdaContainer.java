package io.pagenow.lambda;

import io.pagenow.core.delivery.port.out.ConnectionRegistry;
import io.pagenow.core.presence.port.in.Presence;
import io.pagenow.postgres.PostgresConfig;
import io.pagenow.postgres.PostgresStores;
import io.pagenow.protocol.Assembly;
import io.pagenow.protocol.Authenticator;
import io.pagenow.protocol.EventJson;
import io.pagenow.protocol.RestApi;
import io.pagenow.protocol.SocketApi;
import io.pagenow.protocol.TokenBucket;
import io.pagenow.protocol.TokenVerifier;
import io.pagenow.redis.RedisConfig;
import io.pagenow.redis.RedisLive;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The composition root of the Lambda handlers: the only place that picks implementations. One per
 * container (JVM), built on first use from the environment and kept across invocations, so pools,
 * caches and clients outlive a single event.
 *
 * <p>Nothing here blocks on the network except loading the Redis scripts: the database pool fills
 * in the background, and {@link #warmUp()} fetches the issuer's keys while the first event comes in.
 * PostgreSQL and Redis open side by side ({@link #openStores}).
 */
final class LambdaContainer implements AutoCloseable, Resource {

    private static final Logger LOG = LoggerFactory.getLogger(LambdaContainer.class);

    /** Every connection is held by API Gateway, which any invocation can push to. */
    static final String NODE_ID = "apigw";
    static final Duration PUSH_TIMEOUT = Duration.ofSeconds(5);
    /** One invocation at a time per container: a few connections are plenty. */
    static final int REDIS_POOL_SIZE = 4;
    /** Flood-control buckets kept per container before the oldest are dropped wholesale. */
    private static final int MAX_BUCKETS = 10_000;
    /**
     * An RS256 token naming a key no issuer has: verifying it makes the verifier fetch the issuer's
     * keys, which is all a warm-up or a primer wants; it is then refused, before any store is asked
     * whether its user exists.
     */
    static final String WARM_UP_TOKEN = "eyJhbGciOiJSUzI1NiIsImtpZCI6Indhcm0tdXAifQ.e30.c2ln";

    private final LambdaConfig config;
    private final Supplier<Stores> opener;
    private final Authenticator authenticator;
    private final Clock clock;
    private final ManagementEndpoints endpoints;
    private final Cors cors;
    private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();
    private final PushMetrics metrics;
    /** The Management API pushes: kept across a SnapStart snapshot (they hold no connection of their own). */
    private final ApiGatewayClientPush push;
    /** Set by the handlers of functions that push: their signer is prepared at init, and is in the snapshot. */
    private volatile boolean pushes;
    /** What each handler class runs before a snapshot, to have its first event's classes loaded there. */
    private final Map<Class<?>, Primer> primers = new ConcurrentHashMap<>();
    /** Everything that holds a connection, rebuilt after a SnapStart restore; null while checkpointed. */
    private volatile Live live;

    /** The stores and everything wired on them. */
    private record Live(Stores stores, Authenticator callers, Presence presence, RestApi rest, SocketApi sockets) {
    }

    /**
     * One event through a handler's own code (parsing, dispatch, encoding, answer) that touches no
     * store and pushes nothing: a request refused for its token, a malformed frame.
     */
    @FunctionalInterface
    interface Primer {
        void prime() throws java.io.IOException;
    }

    /**
     * @param opener opens the stores: now, and again after each SnapStart restore
     */
    LambdaContainer(LambdaConfig config, Supplier<Stores> opener, Authenticator authenticator,
                    RoleCredentials credentials, Clock clock) {
        this.config = config;
        this.opener = opener;
        this.authenticator = authenticator;
        this.clock = clock;
        this.endpoints = new ManagementEndpoints(config.managementEndpoints());
        this.cors = new Cors(config.clientOrigins());
        this.metrics = new PushMetrics(config.functionName());
        // Signed by the wall clock whatever the domain's clock says: AWS checks a signature's time.
        this.push = new ApiGatewayClientPush(endpoints, new ManagementApi(credentials,
                new SigV4(SigV4.SERVICE, config.region(), Clock.systemUTC()), PUSH_TIMEOUT), EventJson::encode);
        this.live = wire(opener.get());
        if (config.clientOrigins().isEmpty()) {
            LOG.warn("CLIENT_URL is not set: browsers will refuse every REST answer to a web page");
        }
    }

    private Live wire(Stores stores) {
        // PostgreSQL is always there and holds the user service's users: the directory the checks use.
        Assembly assembly = Assembly.of(new Assembly.Stores(stores.conversations(), stores.socialGraph(),
                        stores.presence(), stores.registry(), true),
                push, clock, config.limits(), config.presenceTimeout(), authenticator);
        return new Live(stores, assembly.callers(), assembly.presence(), assembly.rest(), assembly.sockets());
    }

    private Live live() {
        Live current = live;
        if (current == null) {
            throw new IllegalStateException("the container is checkpointed: afterRestore has not run");
        }
        return current;
    }

    /** Built on first use; a failed build is not kept, so the runtime's next init tries again. */
    private static LambdaContainer instance;

    /**
     * The container of this JVM, built from the environment on first use. A bad configuration
     * throws its {@link io.pagenow.config.ConfigurationException} as is (not wrapped in an
     * {@link ExceptionInInitializerError}), so the runtime reports it at init with its message.
     */
    static synchronized LambdaContainer instance() {
        if (instance == null) {
            instance = start(System.getenv());
        }
        return instance;
    }

    private static LambdaContainer start(Map<String, String> environment) {
        LambdaContainer container = fromEnvironment(environment);
        // SnapStart calls the hooks through the global context, which holds resources weakly:
        // the static field above keeps this one.
        Core.getGlobalContext().register(container);
        container.warmUp();
        return container;
    }

    /**
     * Builds everything from the environment: PostgreSQL and Redis are required, and so is a real
     * token issuer.
     *
     * @throws io.pagenow.config.ConfigurationException naming the missing or malformed variable
     */
    static LambdaContainer fromEnvironment(Map<String, String> environment) {
        return fromEnvironment(environment, Clock.systemUTC(), RoleCredentials.from(environment, Clock.systemUTC()));
    }

    static LambdaContainer fromEnvironment(Map<String, String> environment, Clock clock,
                                           RoleCredentials credentials) {
        LambdaConfig config = LambdaConfig.from(environment);
        LOG.info("Starting with {}", config);
        return new LambdaContainer(config, () -> openStores(config), TokenVerifier.create(config.auth(), clock),
                credentials, clock);
    }

    /**
     * Opens PostgreSQL on a thread of its own while Redis opens on this one: each is mostly class
     * loading (Jdbi's some 600 classes, Jedis's 300) and a round trip or two, and neither needs the
     * other, so a cold start waits for the slower one only.
     */
    private static Stores openStores(LambdaConfig config) {
        LambdaConfig.Database db = config.database();
        // Migrations are a release step (the db module's migrate command), never a cold start's.
        CompletableFuture<PostgresStores> opening = CompletableFuture.supplyAsync(() -> PostgresStores.open(
                new PostgresConfig(db.jdbcUrl(), db.user(), db.password(), db.poolSize(), false)
                        .withSocialGraphCacheTtl(db.socialGraphCacheTtl())), task -> {
                            Thread thread = new Thread(task, "postgres-open");
                            thread.setDaemon(true);
                            thread.start();
                        });
        RedisLive redis;
        try {
            redis = RedisLive.connect(RedisConfig.of(config.redis().url().toString(), config.redis().keyPrefix())
                    .withNodeId(NODE_ID).withPoolSize(REDIS_POOL_SIZE));
        } catch (RuntimeException e) {
            opening.thenAccept(PostgresStores::close);
            throw e;
        }
        PostgresStores postgres;
        try {
            postgres = opening.join();
        } catch (CompletionException e) {
            redis.close();
            // As thrown on this thread: a ConfigurationException keeps its message for the init error.
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
        return new Stores(postgres.conversations(), postgres.socialGraph(), redis.registry(), redis.presenceStore(),
                List.of(redis, postgres));
    }

    /**
     * Fetches the issuer's keys on a background thread while the rest of the container starts and
     * the first event is read: a network wait the first authenticated event would otherwise sit
     * through. The functions that push also load the Management API signer in the background
     * ({@link #preparePushes()}); a REST function never pushes and never loads it.
     */
    void warmUp() {
        Thread warmUp = new Thread(() -> {
            try {
                authenticator.authenticate(WARM_UP_TOKEN);
            } catch (RuntimeException expected) {
                // Refused, as it must be; the keys are cached now (or the first request fetches them).
            }
        }, "warm-up");
        warmUp.setDaemon(true);
        warmUp.start();
    }

    LambdaConfig config() {
        return config;
    }

    /** Token verification, then the check that the user directory knows the caller: for the upgrades. */
    Authenticator callers() {
        return live().callers();
    }

    ConnectionRegistry registry() {
        return live().stores().registry();
    }

    ManagementEndpoints endpoints() {
        return endpoints;
    }

    ApiGatewayClientPush push() {
        return push;
    }

    Presence presence() {
        return live().presence();
    }

    RestApi rest() {
        return live().rest();
    }

    SocketApi sockets() {
        return live().sockets();
    }

    Cors cors() {
        return cors;
    }

    /**
     * Writes what this invocation's pushes came to as an Embedded Metric Format line on stdout
     * (not through the logger: CloudWatch reads EMF only from a log event that is the JSON itself).
     */
    void flushMetrics() {
        metrics.since(push, clock.millis()).ifPresent(System.out::println);
    }

    /**
     * Called by the constructors of the handlers that push (WebSocket, sweep): loads the
     * Management API signer in the background during init, instead of during the first push.
     */
    void preparePushes() {
        if (!pushes) {
            pushes = true;
            push.prepare();
        }
    }

    /**
     * Registers what a handler of this class runs before a SnapStart snapshot ({@link Primer});
     * one per handler class.
     */
    void primeWith(Class<?> handler, Primer primer) {
        primers.put(handler, primer);
    }

    /** For tests: the line {@link #flushMetrics()} would write now. */
    java.util.Optional<String> metricsLine() {
        return metrics.since(push, clock.millis());
    }

    /**
     * The connection's flood-control bucket. API Gateway spreads one connection's frames over
     * every warm container, so this bounds a flood per container; a connection's bucket starts full
     * in each.
     */
    TokenBucket bucketOf(String connectionId) {
        if (buckets.size() >= MAX_BUCKETS) {
            buckets.clear();
        }
        return buckets.computeIfAbsent(connectionId, id -> config.floodControl().newBucket(clock));
    }

    void forgetBucket(String connectionId) {
        buckets.remove(connectionId);
    }

    /**
     * SnapStart's checkpoint (CRaC): first primes the handlers (each runs its {@link Primer}: the
     * classes of its first event's parsing, verification, dispatch and encoding are then loaded, and
     * the issuer's keys fetched, in the snapshot rather than in every restored container's first
     * event, as AWS documents for SnapStart) and loads the Management API signer; then closes the
     * Redis and PostgreSQL pools: a snapshot must hold no open socket, since its restored copies
     * would all share it, nor a connection the server has long timed out. The configuration, the
     * keys, the loaded classes and the JIT's work stay in the snapshot; no credentials do (they are
     * fetched on the first push after the restore).
     */
    @Override
    public synchronized void beforeCheckpoint(Context<? extends Resource> context) {
        Live current = live;
        if (current != null) {
            prime();
            if (pushes) {
                push.prepareNow();
            }
            live = null;
            closeStores(current);
        }
        buckets.clear();
    }

    /**
     * Runs every handler's primer. A failing one is only logged: priming saves time, and the
     * snapshot is good without it.
     */
    private void prime() {
        LOG.info("Priming {} handler(s) before the snapshot: their refused requests below touch no store",
                primers.size());
        for (Map.Entry<Class<?>, Primer> primer : primers.entrySet()) {
            try {
                primer.getValue().prime();
            } catch (Exception e) {
                LOG.warn("Priming {} failed: {}", primer.getKey().getSimpleName(), e.toString());
            }
        }
    }

    /**
     * After a restore: opens new pools, which is all a restored container has to do before its
     * first event. Nothing random is kept across the snapshot: connection ids come from API
     * Gateway, the node id is the constant {@link #NODE_ID}, message and conversation ids are
     * {@code UUID.randomUUID()} (SecureRandom, which the Lambda Java runtimes reseed on restore), and
     * the flood-control buckets were dropped at the checkpoint.
     */
    @Override
    public synchronized void afterRestore(Context<? extends Resource> context) {
        if (live == null) {
            live = wire(opener.get());
        }
    }

    @Override
    public void close() {
        Live current = live;
        live = null;
        if (current != null) {
            closeStores(current);
        }
        push.close();
    }

    private static void closeStores(Live live) {
        for (AutoCloseable resource : live.stores().resources()) {
            try {
                resource.close();
            } catch (Exception e) {
                LOG.warn("Closing {} failed: {}", resource.getClass().getSimpleName(), e.toString());
            }
        }
    }
}
