package io.pagenow.javalin;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.pagenow.core.delivery.Channel;
import io.pagenow.core.delivery.port.out.ClientPush;
import io.pagenow.core.presence.port.in.Presence;
import io.pagenow.protocol.ApiDocument;
import io.pagenow.protocol.Assembly;
import io.pagenow.protocol.Authenticator;
import io.pagenow.protocol.NotReadyException;
import io.pagenow.protocol.RestApi;
import io.pagenow.protocol.ThrottledLog;
import io.pagenow.protocol.TokenVerifier;
import io.pagenow.protocol.UserBuckets;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;

/**
 * The local server: every REST route and both WebSockets of docs/protocol.md on Javalin, over the
 * stores it is given. This class wires and runs the parts (its start and its graceful stop); each
 * job is a package-private class of its own: {@link RestBridge}, {@link UpgradeAdmission},
 * {@link SocketLifecycle}, {@link Readiness}, {@link SweepSchedule}, {@link DevRoutes},
 * {@link JettyTuning}, {@link BrowserCors}. Routing, parsing and answering are the {@code protocol}
 * module's, shared with the Lambda adapter through {@link Assembly}.
 */
public final class PageNowServer {

    private static final Logger LOG = LoggerFactory.getLogger(PageNowServer.class);

    /** How long a stop waits for sockets to close and in-flight requests to finish. */
    static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(10);
    /** Threads that handle frames; as many as Redis connections by default, so none waits for one. */
    private static final int FRAME_THREADS = 200;
    /** How long a stop waits for the frames in hand to be answered before it closes the sockets. */
    static final Duration FRAME_DRAIN = Duration.ofSeconds(5);

    private final ServerConfig config;
    private final Stores stores;
    private final ServerMetrics metrics = new ServerMetrics();
    private final LocalSockets sockets;
    private final Presence presence;
    private final FrameLines frames = new FrameLines(FRAME_THREADS, DaemonThreads.named("ws-frames"));
    private final RestBridge restBridge;
    private final UpgradeAdmission admission;
    private final SocketLifecycle lifecycle;
    private final Readiness readiness;
    private final SweepSchedule sweeps;
    private final JettyTuning jetty = new JettyTuning();
    /** Development mode's issuer; null otherwise. */
    private final DevRoutes dev;
    private final Javalin app;

    /** Set at start in development mode, where the issuer's URL holds the port; fixed otherwise. */
    private volatile Authenticator authenticator;
    private volatile boolean serving;
    private volatile int port = -1;
    private boolean stopped;

    public PageNowServer(ServerConfig config, Stores stores, Clock clock) {
        this.config = config;
        this.stores = stores;
        this.sockets = new LocalSockets(metrics, config.limits().maxSocketsPerUser());
        /* Failures that repeat for every request or socket during an outage: one line per interval. */
        ThrottledLog throttle = new ThrottledLog(ThrottledLog.INTERVAL, clock);
        ClientPush push = stores.pushRoute().apply(sockets);
        Authenticator tokens = authorization -> authenticator().authenticate(authorization);
        // PostgreSQL holds the user service's users: a directory to check participants and callers against.
        Assembly assembly = Assembly.of(new Assembly.Stores(stores.conversations(), stores.socialGraph(),
                        stores.presence(), stores.connections(), config.database().isPresent()),
                push, clock, config.limits(), config.presenceTimeout(), tokens);
        this.presence = assembly.presence();
        this.restBridge = new RestBridge(assembly.rest(), config.limits().restRetryAfterSeconds());
        NodeSockets node = new NodeSockets(config.nodeId(), sockets, assembly.sockets(), metrics);
        this.admission = new UpgradeAdmission(sockets, assembly.callers(), SocketCap.of(config.limits().maxSockets()),
                () -> serving);
        this.lifecycle = new SocketLifecycle(node, frames, new SocketLifecycle.Allowances(config.floodControl(),
                new UserBuckets(config.limits().userFlood(), clock), clock), throttle);
        this.readiness = new Readiness(stores.readiness(), throttle, () -> serving);
        this.sweeps = new SweepSchedule(this::sweepPresence, stores.chores(), presence);
        SocketRepair repair = new SocketRepair(node, stores.connections(), stores.liveState().registeredHere());
        stores.liveState().onLost().accept(repair::repair);
        this.authenticator = config.auth().map(auth -> (Authenticator) TokenVerifier.create(auth, clock)).orElse(null);
        this.dev = config.developmentMode() ? new DevRoutes(clock) : null;
        this.app = Javalin.create(this::configure);
    }

    /** Starts listening; returns once the server answers requests. */
    public synchronized PageNowServer start() {
        app.start(config.host(), config.port());
        port = app.port();
        if (dev != null) {
            authenticator = dev.start(loopback(), port());
        }
        sweeps.start(config.presenceSweepInterval());
        serving = true;
        if (config.developmentMode()) {
            LOG.warn("DEVELOPMENT MODE: a local issuer signs tokens for any user at POST /dev/token;"
                    + " configure AUTH_JWKS_URL + AUTH_ISSUER or COGNITO_REGION + COGNITO_POOL_ID before exposing this server");
        }
        LOG.atInfo().addKeyValue("port", port()).addKeyValue("node", config.nodeId())
                .addKeyValue("mode", config.developmentMode() ? "development" : "production").log("server started");
        return this;
    }

    /** The port listened on, known once started (also after a stop). */
    public int port() {
        return port;
    }

    /**
     * Waits, at most {@code timeout}, until this node holds no more than {@code count} sockets,
     * counting a closed one until its close handler has unregistered it.
     */
    boolean awaitSocketsAtMost(int count, Duration timeout) throws InterruptedException {
        return sockets.awaitAtMost(count, timeout);
    }

    /** The push to the sockets this node holds, which a relay wraps. */
    ClientPush localSockets() {
        return sockets;
    }

    public boolean developmentMode() {
        return config.developmentMode();
    }

    /** What tests check of Jetty's settings. */
    JettyTuning jetty() {
        return jetty;
    }

    /** Runs the presence timeout sweep now, as the schedule does (without the stores' chores). */
    public int sweepPresence() {
        int taken = presence.sweep();
        metrics.swept(taken);
        return taken;
    }

    /**
     * Stops gracefully: new requests and upgrades are refused, every socket is closed with 1001
     * (going away), in-flight requests finish, then the stores are closed.
     */
    public synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        serving = false;
        sweeps.stop();
        try {
            // The frames in hand are answered first; the sockets' close frames then come last.
            if (!frames.awaitIdle(FRAME_DRAIN)) {
                LOG.warn("frames still in hand after {}; closing the sockets anyway", FRAME_DRAIN);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sockets.closeAll(StatusCode.SHUTDOWN, "Server shutting down");
        try {
            if (!sockets.awaitAtMost(0, SHUTDOWN_GRACE)) {
                LOG.warn("some sockets did not close within {}", SHUTDOWN_GRACE);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        app.stop();
        for (AutoCloseable hook : stores.closeHooks()) {
            try {
                hook.close();
            } catch (Exception e) {
                LOG.warn("closing a store failed", e);
            }
        }
        readiness.close();
        frames.shutdown();
        metrics.close();
        LOG.info("server stopped");
    }

    private void configure(JavalinConfig javalin) {
        javalin.startup.showJavalinBanner = false;
        javalin.startup.showOldJavalinVersionWarning = false;
        javalin.http.maxRequestSize = RestApi.MAX_BODY_BYTES;
        javalin.http.prefer405over404 = true;
        jetty.apply(javalin, SHUTDOWN_GRACE);
        BrowserCors.apply(javalin, config.clientOrigins(), config.developmentMode());
        if (config.webClient()) {
            WebClient.register(javalin);
        }
        javalin.requestLogger.http(this::logRequest);

        javalin.routes.get("/health", ctx -> RestBridge.json(ctx, "/health", 200, "{\"status\":\"up\"}"));
        javalin.routes.get("/ready", readiness::answer);
        javalin.routes.get("/metrics", ctx -> {
            ctx.attribute(RestBridge.ROUTE, "/metrics");
            ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape());
        });
        if (dev != null) {
            dev.register(javalin);
        }
        for (ApiDocument document : ApiDocument.values()) {
            javalin.routes.get(document.path(), ctx -> {
                ctx.attribute(RestBridge.ROUTE, document.path());
                ctx.contentType(ApiDocument.CONTENT_TYPE).result(document.text());
            });
        }
        restBridge.register(javalin);
        for (Channel channel : Channel.values()) {
            String path = channel == Channel.CHAT ? "/chat" : "/presence";
            javalin.routes.wsBeforeUpgrade(path, ctx -> admission.admit(ctx, path));
            javalin.routes.ws(path, ws -> lifecycle.handlers(ws, channel));
        }
    }

    private Authenticator authenticator() {
        Authenticator current = authenticator;
        if (current == null) {
            throw new NotReadyException("token verifier (starting)");
        }
        return current;
    }

    private void logRequest(Context ctx, Float millis) {
        String route = RestBridge.routeOf(ctx);
        int status = ctx.statusCode();
        metrics.request(ctx.method().name(), route, status, Duration.ofNanos((long) (millis * 1_000_000)));
        if (status >= 400) {
            metrics.error("rest", status);
        }
        // The path alone: the query string of a WebSocket upgrade holds the token.
        LOG.atDebug().addKeyValue("method", ctx.method()).addKeyValue("route", route)
                .addKeyValue("status", status).addKeyValue("ms", millis).log("request");
    }

    private String loopback() {
        String host = config.host();
        return host.equals("0.0.0.0") || host.equals("::") || host.isEmpty() ? "127.0.0.1" : host;
    }
}
