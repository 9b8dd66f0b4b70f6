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
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.regions.Region;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The composition root of the Lambda handlers: the only place that picks implementations. One per
 * container (JVM), built on first use from the environment and kept across invocations, so pools,
 * caches and clients outlive a single event.
 *
 * <p>Nothing here blocks on the network except loading the Redis scripts: the database pool fills
 * in the background, and {@link #warmUp()} fetches the issuer's keys while the first event comes in.
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
     * keys, which is all a warm-up wants; it is then refused.
     */
    private static final String WARM_UP_TOKEN = "eyJhbGciOiJSUzI1NiIsImtpZCI6Indhcm0tdXAifQ.e30.c2ln";

    private final LambdaConfig config;
    private final Supplier<Stores> opener;
    private final Authenticator authenticator;
    private final AwsCredentialsProvider credentials;
    private final Clock clock;
    private final ManagementEndpoints endpoints;
    private final Cors cors;
    private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();
    private final PushMetrics metrics;
    /** Set by the handlers of functions that push: their client is prepared at init and after a restore. */
    private volatile boolean pushes;
    /** Everything that holds a connection, rebuilt after a SnapStart restore; null while checkpointed. */
    private volatile Live live;

    /** The stores and everything wired on them. */
    private record Live(Stores stores, ApiGatewayClientPush push, Authenticator callers, Presence presence,
                        RestApi rest, SocketApi sockets) {
    }

    /**
     * @param opener opens the stores: now, and again after each SnapStart restore
     */
    LambdaContainer(LambdaConfig config, Supplier<Stores> opener, Authenticator authenticator,
                    AwsCredentialsProvider credentials, Clock clock) {
        this.config = config;
        this.opener = opener;
        this.authenticator = authenticator;
        this.credentials = credentials;
        this.clock = clock;
        this.endpoints = new ManagementEndpoints(config.managementEndpoints());
        this.cors = new Cors(config.clientOrigins());
        this.metrics = new PushMetrics(config.functionName());
        this.live = wire(opener.get());
        if (config.clientOrigins().isEmpty()) {
            LOG.warn("CLIENT_URL is not set: browsers will refuse every REST answer to a web page");
        }
    }

    private Live wire(Stores stores) {
        ApiGatewayClientPush push = new ApiGatewayClientPush(new ManagementClients(endpoints, credentials,
                Region.of(config.region()), PUSH_TIMEOUT), EventJson::encode);
        // PostgreSQL is always there and holds the user service's users: the directory the checks use.
        Assembly assembly = Assembly.of(new Assembly.Stores(stores.conversations(), stores.socialGraph(),
                        stores.presence(), stores.registry(), true),
                push, clock, config.limits(), config.presenceTimeout(), authenticator);
        return new Live(stores, push, assembly.callers(), assembly.presence(), assembly.rest(), assembly.sockets());
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
        // Lambda puts the function role's temporary credentials in the environment.
        return fromEnvironment(environment, Clock.systemUTC(), EnvironmentVariableCredentialsProvider.create());
    }

    static LambdaContainer fromEnvironment(Map<String, String> environment, Clock clock,
                                           AwsCredentialsProvider credentials) {
        LambdaConfig config = LambdaConfig.from(environment);
        LOG.info("Starting with {}", config);
        return new LambdaContainer(config, () -> openStores(config), TokenVerifier.create(config.auth(), clock),
                credentials, clock);
    }

    private static Stores openStores(LambdaConfig config) {
        LambdaConfig.Database db = config.database();
        // Migrations are a release step (the db module's migrate command), never a cold start's.
        PostgresStores postgres = PostgresStores.open(new PostgresConfig(db.jdbcUrl(), db.user(), db.password(),
                db.poolSize(), false).withSocialGraphCacheTtl(db.socialGraphCacheTtl()));
        RedisLive redis;
        try {
            redis = RedisLive.connect(RedisConfig.of(config.redis().url().toString(), config.redis().keyPrefix())
                    .withNodeId(NODE_ID).withPoolSize(REDIS_POOL_SIZE));
        } catch (RuntimeException e) {
            postgres.close();
            throw e;
        }
        return new Stores(postgres.conversations(), postgres.socialGraph(), redis.registry(), redis.presenceStore(),
                List.of(redis, postgres));
    }

    /**
     * Fetches the issuer's keys on a background thread while the rest of the container starts and
     * the first event is read: a network wait the first authenticated event would otherwise sit
     * through. Nothing CPU-bound is started here: a 1 GB function has about half a vCPU, so work in
     * the background (the Management API client, say) only slows the first answer down; that client
     * starts on the first push, and a REST function never pushes.
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
        return live().push();
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
        Live current = live;
        if (current != null) {
            metrics.since(current.push(), clock.millis()).ifPresent(System.out::println);
        }
    }

    /**
     * Called by the constructors of the handlers that push (WebSocket, sweep): builds the
     * Management API clients of the configured endpoints in the background during init, instead
     * of during the first push.
     */
    void preparePushes() {
        pushes = true;
        live().push().prepare(config.managementEndpoints().values());
    }

    /** For tests: the line {@link #flushMetrics()} would write now. */
    java.util.Optional<String> metricsLine() {
        return metrics.since(live().push(), clock.millis());
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
     * SnapStart's checkpoint (CRaC): a snapshot must hold no open socket, since its restored copies
     * would all share it, nor a connection the server has long timed out. Closes the Management
     * API client, the Redis pool and the PostgreSQL pool; the configuration, the issuer's keys
     * (fetched by {@link #warmUp()}), the loaded classes and the JIT's work stay in the snapshot.
     */
    @Override
    public synchronized void beforeCheckpoint(Context<? extends Resource> context) {
        Live current = live;
        live = null;
        if (current != null) {
            close(current);
        }
        buckets.clear();
    }

    /**
     * After a restore: opens new pools and clients, which is all a restored container has to do
     * before its first event. Nothing random is kept across the snapshot: connection ids come from
     * API Gateway, the node id is the constant {@link #NODE_ID}, message and conversation ids are
     * {@code UUID.randomUUID()} (SecureRandom, which the Lambda Java runtimes reseed on restore), and
     * the flood-control buckets were dropped at the checkpoint.
     */
    @Override
    public synchronized void afterRestore(Context<? extends Resource> context) {
        if (live == null) {
            live = wire(opener.get());
            if (pushes) {
                live.push().prepare(config.managementEndpoints().values());
            }
        }
    }

    @Override
    public void close() {
        Live current = live;
        live = null;
        if (current != null) {
            close(current);
        }
    }

    private static void close(Live live) {
        live.push().close();
        for (AutoCloseable resource : live.stores().resources()) {
            try {
                resource.close();
            } catch (Exception e) {
                LOG.warn("Closing {} failed: {}", resource.getClass().getSimpleName(), e.toString());
            }
        }
    }
}
