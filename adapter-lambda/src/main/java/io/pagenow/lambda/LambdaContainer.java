package io.pagenow.lambda;

import io.pagenow.core.delivery.port.out.ConnectionRegistry;
import io.pagenow.core.presence.port.in.Presence;
import io.pagenow.protocol.Assembly;
import io.pagenow.protocol.Authenticator;
import io.pagenow.protocol.EventJson;
import io.pagenow.protocol.RestApi;
import io.pagenow.protocol.SocketApi;
import io.pagenow.protocol.TokenVerifier;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The composition root of the Lambda handlers: the only place that picks implementations (the
 * stores' through {@link StoresOpener}). One per container (JVM), built on first use from the
 * environment and kept across invocations, so pools, caches and clients outlive a single event.
 *
 * <p>Nothing here blocks on the network except loading the Redis scripts: the database pool fills
 * in the background, and the issuer's keys are fetched while the first event comes in
 * ({@link Priming}). PostgreSQL and Redis open side by side ({@link StoresOpener}).
 */
final class LambdaContainer implements AutoCloseable, Resource {

    private static final Logger LOG = LoggerFactory.getLogger(LambdaContainer.class);

    /** Every connection is held by API Gateway, which any invocation can push to. */
    static final String NODE_ID = "apigw";
    static final Duration PUSH_TIMEOUT = Duration.ofSeconds(5);

    private final LambdaConfig config;
    private final Supplier<Stores> opener;
    private final Authenticator authenticator;
    private final Clock clock;
    private final ManagementEndpoints endpoints;
    private final Cors cors;
    private final FloodBuckets buckets;
    private final PushMetrics metrics;
    /** The Management API pushes: kept across a SnapStart snapshot (they hold no connection of their own). */
    private final ApiGatewayClientPush push;
    /** Set by the handlers of functions that push: their signer is prepared at init, and is in the snapshot. */
    private volatile boolean pushes;
    private final Priming priming = new Priming();
    /** Everything that holds a connection, rebuilt after a SnapStart restore; null while checkpointed. */
    private volatile Live live;

    /** The stores and everything wired on them. */
    private record Live(Stores stores, Authenticator callers, Presence presence, RestApi rest, SocketApi sockets) {
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
        this.buckets = new FloodBuckets(config.floodControl(), clock);
        // Signed by the wall clock whatever the domain's clock says: AWS checks a signature's time.
        this.push = new ApiGatewayClientPush(endpoints, new ManagementApi(credentials,
                new SigV4(SigV4.SERVICE, config.region(), Clock.systemUTC()), PUSH_TIMEOUT), EventJson::encode);
        this.metrics = new PushMetrics(config.functionName(), push, clock);
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
        Priming.fetchKeysInBackground(container.authenticator);
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
        return new LambdaContainer(config, new StoresOpener(config), TokenVerifier.create(config.auth(), clock),
                credentials, clock);
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

    /** What this invocation's pushes came to, written once it is answered. */
    PushMetrics metrics() {
        return metrics;
    }

    /**
     * Called by the constructors of the handlers that push (WebSocket, sweep): loads the
     * Management API signer in the background during init, instead of during the first push; a
     * REST function never pushes and never loads it.
     */
    void preparePushes() {
        if (!pushes) {
            pushes = true;
            push.prepare();
        }
    }

    /** What each handler runs before a SnapStart snapshot; handlers register theirs as they are built. */
    Priming priming() {
        return priming;
    }

    FloodBuckets buckets() {
        return buckets;
    }

    /**
     * SnapStart's checkpoint (CRaC): first primes the handlers ({@link Priming}) and loads the
     * Management API signer; then closes the Redis and PostgreSQL pools: a snapshot must hold no open socket, since its restored copies
     * would all share it, nor a connection the server has long timed out. The configuration, the
     * keys, the loaded classes and the JIT's work stay in the snapshot; no credentials do (they are
     * fetched on the first push after the restore).
     */
    @Override
    public synchronized void beforeCheckpoint(Context<? extends Resource> context) {
        Live current = live;
        if (current != null) {
            priming.runAll();
            if (pushes) {
                push.prepareNow();
            }
            live = null;
            current.stores().close();
        }
        buckets.clear();
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
            current.stores().close();
        }
        push.close();
    }
}
