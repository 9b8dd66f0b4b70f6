package io.pagenow.javalin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.jwk.RSAKey;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.ContentTooLargeResponse;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import io.javalin.http.ServiceUnavailableResponse;
import io.javalin.websocket.WsCloseContext;
import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsConnectContext;
import io.javalin.websocket.WsMessageContext;
import io.pagenow.core.delivery.Channel;
import io.pagenow.core.delivery.port.out.ClientPush;
import io.pagenow.core.delivery.Connection;
import io.pagenow.core.error.InvalidInputException;
import io.pagenow.core.error.RateLimitedException;
import io.pagenow.core.error.StoreUnavailableException;
import io.pagenow.core.presence.port.in.Presence;
import io.pagenow.protocol.ApiDocument;
import io.pagenow.protocol.Assembly;
import io.pagenow.protocol.AuthSettings;
import io.pagenow.protocol.Authenticator;
import io.pagenow.protocol.EventJson;
import io.pagenow.protocol.Failure;
import io.pagenow.protocol.FrameOutcome;
import io.pagenow.protocol.NotReadyException;
import io.pagenow.protocol.RestApi;
import io.pagenow.protocol.RestRequest;
import io.pagenow.protocol.RestResponse;
import io.pagenow.protocol.RestRoute;
import io.pagenow.protocol.SocketApi;
import io.pagenow.protocol.ThrottledLog;
import io.pagenow.protocol.TokenVerifier;
import io.pagenow.protocol.UserBuckets;
import jakarta.servlet.DispatcherType;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.ThreadPool;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The local server: every REST route and both WebSockets of PROTOCOL.md on Javalin, over the
 * stores it is given. Javalin only carries bytes here; routing, parsing and answering are the
 * {@code protocol} module's, shared with the Lambda adapter.
 */
public final class PageNowServer {

    private static final Logger LOG = LoggerFactory.getLogger(PageNowServer.class);

    /** The AWS WebSocket idle limit the clients are written against. */
    static final Duration IDLE_TIMEOUT = Duration.ofMinutes(10);
    /** How long a stop waits for sockets to close and in-flight requests to finish. */
    static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(10);
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);
    /**
     * Connections the kernel queues for Jetty's acceptor. Jetty's default leaves the JDK's 50: in a
     * 10,000-socket connect storm the queue overflowed (ListenOverflows), the kernel dropped the
     * SYNs, and clients retried them 1, 3, 7 s later, which made connects take seconds with the
     * server mostly idle. Bounded by the kernel's {@code net.core.somaxconn}.
     */
    static final int ACCEPT_QUEUE_SIZE = 1024;
    /** Threads that handle frames; as many as Redis connections by default, so none waits for one. */
    private static final int FRAME_THREADS = 200;
    /** How long a stop waits for the frames in hand to be answered before it closes the sockets. */
    static final Duration FRAME_DRAIN = Duration.ofSeconds(5);
    /** A client that stops reading gets this many frames queued before its socket is given up. */
    private static final int MAX_QUEUED_FRAMES = 1024;
    /** The request attribute holding the matched route's label, for metrics and logs. */
    static final String ROUTE = "pagenow.route";
    private static final String JSON = RestResponse.CONTENT_TYPE;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final ServerConfig config;
    private final Stores stores;
    private final Clock clock;
    private final ServerMetrics metrics = new ServerMetrics();
    private final LocalSockets sockets;
    private final UserBuckets userFlood;
    /** Failures that repeat for every request or socket during an outage: one line per interval. */
    private final ThrottledLog throttle;
    private final int maxSockets;
    private final Presence presence;
    private final RestApi rest;
    private final SocketApi socketApi;
    private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(daemon("presence-sweep"));
    private final ExecutorService probes = Executors.newCachedThreadPool(daemon("ready-probe"));
    private final FrameLines frames = new FrameLines(FRAME_THREADS, daemon("ws-frames"));
    private final Javalin app;
    private final SocketLifecycle lifecycle;
    /** Token verification, then (with a user directory) the check that the directory knows the user. */
    private final Authenticator callers;

    /** Set at start in development mode, where the issuer's URL holds the port; fixed otherwise. */
    private volatile Authenticator authenticator;
    private volatile DevIssuer devIssuer;
    private final RSAKey devKey;
    private volatile boolean serving;
    private volatile int port = -1;
    private boolean stopped;
    /** Jetty's, kept for what tests check of them: the thread pool and the (unused) HTTP sessions. */
    private volatile Server jetty;
    private volatile ServletContextHandler servletContext;

    public PageNowServer(ServerConfig config, Stores stores, Clock clock) {
        this.config = config;
        this.stores = stores;
        this.clock = clock;
        this.sockets = new LocalSockets(metrics, config.limits().maxSocketsPerUser());
        this.userFlood = new UserBuckets(config.limits().userFlood(), clock);
        this.throttle = new ThrottledLog(ThrottledLog.INTERVAL, clock);
        this.maxSockets = SocketCap.of(config.limits().maxSockets());
        ClientPush push = stores.pushRoute().apply(sockets);
        Authenticator tokens = authorization -> authenticator().authenticate(authorization);
        // PostgreSQL holds the user service's users: a directory to check participants and callers against.
        Assembly assembly = Assembly.of(new Assembly.Stores(stores.conversations(), stores.socialGraph(),
                        stores.presence(), stores.connections(), config.database().isPresent()),
                push, clock, config.limits(), config.presenceTimeout(), tokens);
        this.callers = assembly.callers();
        this.presence = assembly.presence();
        this.rest = assembly.rest();
        this.socketApi = assembly.sockets();
        this.lifecycle = new SocketLifecycle(sockets, socketApi, callers, frames, metrics, throttle,
                config.floodControl(), userFlood, maxSockets, config.nodeId(), clock, () -> serving);
        SocketRepair repair = new SocketRepair(sockets, socketApi, stores.connections(),
                stores.liveState().registeredHere(), metrics);
        stores.liveState().onLost().accept(repair::repair);
        this.authenticator = config.auth().map(auth -> (Authenticator) TokenVerifier.create(auth, clock)).orElse(null);
        this.devKey = config.developmentMode() ? DevIssuer.newKey() : null;
        this.app = Javalin.create(this::configure);
    }

    /** Starts listening; returns once the server answers requests. */
    public synchronized PageNowServer start() {
        app.start(config.host(), config.port());
        port = app.port();
        if (config.developmentMode()) {
            DevIssuer issuer = new DevIssuer(devKey, "http://localhost:" + port() + "/dev", clock);
            URI jwks = URI.create("http://" + loopback() + ":" + port() + "/dev/jwks.json");
            // The keys are this process's own: given, not fetched over HTTP from itself, which a
            // burst of upgrades on a cold start starved of threads until every upgrade failed.
            authenticator = TokenVerifier.trusting(new AuthSettings(jwks, issuer.issuer(), Optional.empty()),
                    issuer.jwksJson(), clock);
            devIssuer = issuer;
        }
        long sweepMillis = config.presenceSweepInterval().toMillis();
        sweeper.scheduleWithFixedDelay(this::sweepQuietly, sweepMillis, sweepMillis, TimeUnit.MILLISECONDS);
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

    public boolean developmentMode() {
        return config.developmentMode();
    }

    /** HTTP sessions Jetty has created since the start; this server uses none. */
    int httpSessionsCreated() {
        return servletContext.getSessionHandler().getSessionsCreated();
    }

    /** How many connections the kernel may queue for the acceptor, as the listening connector asked. */
    int acceptQueueSize() {
        return ((ServerConnector) jetty.getConnectors()[0]).getAcceptQueueSize();
    }

    /** The size of the request header field cache of the listening connector (0: none). */
    int headerCacheSize() {
        return jetty.getConnectors()[0].getConnectionFactory(HttpConnectionFactory.class).getHttpConfiguration()
                .getHeaderCacheSize();
    }

    /** The most threads Jetty serves requests and sockets with. */
    int maxThreads() {
        ThreadPool pool = jetty.getThreadPool();
        return pool instanceof ThreadPool.SizedThreadPool sized ? sized.getMaxThreads() : -1;
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
        sweeper.shutdownNow();
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
        probes.shutdownNow();
        frames.shutdown();
        metrics.close();
        LOG.info("server stopped");
    }

    private void configure(JavalinConfig javalin) {
        javalin.startup.showJavalinBanner = false;
        javalin.startup.showOldJavalinVersionWarning = false;
        javalin.http.maxRequestSize = RestApi.MAX_BODY_BYTES;
        javalin.http.prefer405over404 = true;
        javalin.jetty.modifyServer(server -> {
            jetty = server;
            // Lets a stop wait for in-flight requests while refusing new ones.
            GracefulHandler graceful = new GracefulHandler();
            // Idle keep-alive connections need not linger through a stop; busy ones still finish.
            graceful.setShutdownIdleTimeout(100);
            server.insertHandler(graceful);
            server.setStopTimeout(SHUTDOWN_GRACE.toMillis());
            server.setErrorHandler(new JsonErrorHandler());
        });
        // Javalin adds its connector after modifyServer and before this event, which precedes the bind.
        javalin.events.serverStarting(() -> {
            for (Connector connector : jetty.getConnectors()) {
                if (connector instanceof ServerConnector listening) {
                    listening.setAcceptQueueSize(ACCEPT_QUEUE_SIZE);
                }
                HttpConnectionFactory http = connector.getConnectionFactory(HttpConnectionFactory.class);
                if (http != null) {
                    // Jetty caches a connection's request header fields to parse repeats faster; every
                    // request here carries a different Authorization value, so the cache was cleared
                    // and refilled on each request (8% of the server's CPU on REST at 1,000 req/s).
                    http.getHttpConfiguration().setHeaderCacheSize(0);
                }
            }
        });
        javalin.jetty.modifyServletContextHandler(context -> {
            servletContext = context;
            context.addFilter(new FilterHolder(new UpgradesWithoutSessions()), "/*", EnumSet.of(DispatcherType.REQUEST));
        });
        javalin.jetty.modifyWebSocketServletFactory(factory -> {
            factory.setMaxTextMessageSize(SocketApi.MAX_FRAME_BYTES);
            factory.setMaxBinaryMessageSize(SocketApi.MAX_FRAME_BYTES);
            factory.setIdleTimeout(IDLE_TIMEOUT);
            factory.setMaxOutgoingFrames(MAX_QUEUED_FRAMES);
        });
        configureCors(javalin);
        if (config.webClient()) {
            WebClient.register(javalin);
        }
        javalin.requestLogger.http(this::logRequest);

        javalin.routes.get("/health", ctx -> json(ctx, "/health", 200, "{\"status\":\"up\"}"));
        javalin.routes.get("/ready", this::ready);
        javalin.routes.get("/metrics", ctx -> {
            ctx.attribute(ROUTE, "/metrics");
            ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape());
        });
        if (config.developmentMode()) {
            javalin.routes.get("/dev/jwks.json", this::devJwks);
            javalin.routes.post("/dev/token", this::devToken);
        }
        for (ApiDocument document : ApiDocument.values()) {
            javalin.routes.get(document.path(), ctx -> {
                ctx.attribute(ROUTE, document.path());
                ctx.contentType(ApiDocument.CONTENT_TYPE).result(document.text());
            });
        }
        for (RestRoute route : rest.routes()) {
            javalin.routes.addHttpHandler(HandlerType.findOrCreate(route.method()), route.path(), this::serveRest);
        }
        for (Channel channel : Channel.values()) {
            String path = channel == Channel.CHAT ? "/chat" : "/presence";
            javalin.routes.wsBeforeUpgrade(path, ctx -> lifecycle.admitUpgrade(ctx, path));
            javalin.routes.ws(path, ws -> lifecycle.handlers(ws, channel));
        }

        javalin.routes.exception(HttpResponseException.class, (e, ctx) -> {
            String message = e.getStatus() == 413 ? "Request body over " + RestApi.MAX_BODY_BYTES + " bytes"
                    : e.getMessage();
            respond(ctx, RestResponse.error(e.getStatus(), message, routeOf(ctx)));
        });
        javalin.routes.exception(Exception.class, (e, ctx) -> {
            Failure failure = Failure.of(e);
            respond(ctx, RestResponse.error(failure.status(), failure.message(), routeOf(ctx)));
        });
        javalin.routes.error(404, ctx -> {
            if (ctx.attribute(ROUTE) == null) {
                respond(ctx, RestResponse.noRoute(ctx.path()));
            }
        });
        javalin.routes.error(405, ctx -> {
            if (ctx.attribute(ROUTE) == null) {
                respond(ctx, RestResponse.methodNotAllowed(ctx.method().name(), ctx.path()));
            }
        });
    }

    /**
     * Browsers enforce CORS on the REST calls of the chat web client; the WebSockets carry their
     * token in the URL, not in a cookie, so a foreign page gains nothing from opening one.
     */
    private void configureCors(JavalinConfig javalin) {
        List<String> origins = config.clientOrigins();
        if (origins.isEmpty() && !config.developmentMode()) {
            return;
        }
        javalin.bundledPlugins.enableCors(cors -> cors.addRule(rule -> {
            if (origins.isEmpty()) {
                rule.anyHost();
            } else {
                rule.allowHost(origins.get(0), origins.subList(1, origins.size()).toArray(String[]::new));
            }
            rule.maxAge = 600;
        }));
    }

    private void serveRest(Context ctx) throws IOException {
        ctx.attribute(ROUTE, ctx.endpoint().path);
        String body = HandlerType.GET.equals(ctx.method()) ? null : boundedBody(ctx);
        Map<String, String> query = new HashMap<>();
        ctx.queryParamMap().forEach((name, values) -> {
            if (!values.isEmpty()) {
                query.put(name, values.get(0));
            }
        });
        RestResponse response = rest.handle(new RestRequest(ctx.method().name(), ctx.req().getRequestURI(), query,
                ctx.header("Authorization"), body));
        if (response.status() == 429) {
            ctx.header("Retry-After", String.valueOf(config.limits().restRetryAfterSeconds()));
        }
        respond(ctx, response);
    }

    /**
     * The body, or null when empty. Reads at most one byte past the limit, so a client announcing
     * or sending a huge body costs no more than that before it gets its 413.
     */
    private static String boundedBody(Context ctx) throws IOException {
        if (ctx.req().getContentLengthLong() > RestApi.MAX_BODY_BYTES) {
            throw new ContentTooLargeResponse();
        }
        try (InputStream in = ctx.bodyInputStream()) {
            byte[] bytes = in.readNBytes(RestApi.MAX_BODY_BYTES + 1);
            if (bytes.length > RestApi.MAX_BODY_BYTES) {
                throw new ContentTooLargeResponse();
            }
            return bytes.length == 0 ? null : new String(bytes, StandardCharsets.UTF_8);
        }
    }

    private void ready(Context ctx) {
        ObjectNode checks = MAPPER.createObjectNode();
        boolean ready = serving;
        for (Stores.ReadinessCheck check : stores.readiness()) {
            boolean up = probe(check);
            checks.put(check.name(), up ? "up" : "down");
            ready &= up;
        }
        ObjectNode body = MAPPER.createObjectNode();
        body.put("status", ready ? "ready" : "unavailable");
        body.set("checks", checks);
        json(ctx, "/ready", ready ? 200 : 503, body.toString());
    }

    private boolean probe(Stores.ReadinessCheck check) {
        try {
            return CompletableFuture.supplyAsync(() -> check.probe().getAsBoolean(), probes)
                    .get(PROBE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            long count = throttle.count("not ready " + check.name());
            if (count > 0) {
                LOG.atWarn().addKeyValue("check", check.name()).addKeyValue("cause", e.getClass().getName())
                        .addKeyValue("count", count).log("store not ready");
            }
            return false;
        }
    }

    private void devJwks(Context ctx) {
        json(ctx, "/dev/jwks.json", 200, devIssuer().jwksJson());
    }

    private void devToken(Context ctx) throws IOException {
        ctx.attribute(ROUTE, "/dev/token");
        String body = boundedBody(ctx);
        JsonNode request;
        try {
            request = body == null ? null : MAPPER.readTree(body);
        } catch (IOException e) {
            throw new InvalidInputException("Malformed JSON body: expected {\"userId\": \"alice\"}");
        }
        JsonNode userId = request == null ? null : request.get("userId");
        if (userId == null || !userId.isTextual() || userId.textValue().isEmpty()
                || userId.textValue().length() > 128) {
            throw new InvalidInputException("'userId' must be a string of 1 to 128 characters");
        }
        ObjectNode answer = MAPPER.createObjectNode();
        answer.put("token", devIssuer().idToken(userId.textValue()));
        json(ctx, "/dev/token", 200, answer.toString());
    }

    private DevIssuer devIssuer() {
        DevIssuer issuer = devIssuer;
        if (issuer == null) {
            throw new NotReadyException("development token issuer (starting)");
        }
        return issuer;
    }

    private Authenticator authenticator() {
        Authenticator current = authenticator;
        if (current == null) {
            throw new NotReadyException("token verifier (starting)");
        }
        return current;
    }

    /** The schedule's work: the sweep, then each store's chore, each failing on its own. */
    private void sweepQuietly() {
        try {
            int taken = sweepPresence();
            if (taken > 0) {
                LOG.atInfo().addKeyValue("users", taken).log("presence sweep took users offline");
            }
        } catch (RuntimeException e) {
            // Failure.of logs it; the next sweep tries again.
            Failure.of(e);
        }
        for (Stores.Chore chore : stores.chores()) {
            try {
                int done = chore.work().applyAsInt(presence);
                if (done > 0) {
                    LOG.atInfo().addKeyValue("chore", chore.name()).addKeyValue("count", done).log("store chore done");
                }
            } catch (RuntimeException e) {
                LOG.atWarn().addKeyValue("chore", chore.name()).addKeyValue("status", Failure.of(e).status())
                        .log("store chore failed; retried on the next sweep");
            }
        }
    }

    private void logRequest(Context ctx, Float millis) {
        String route = routeOf(ctx);
        int status = ctx.statusCode();
        metrics.request(ctx.method().name(), route, status, Duration.ofNanos((long) (millis * 1_000_000)));
        if (status >= 400) {
            metrics.error("rest", status);
        }
        // The path alone: the query string of a WebSocket upgrade holds the token.
        LOG.atDebug().addKeyValue("method", ctx.method()).addKeyValue("route", route)
                .addKeyValue("status", status).addKeyValue("ms", millis).log("request");
    }

    private static String routeOf(Context ctx) {
        String route = ctx.attribute(ROUTE);
        return route == null ? "unmatched" : route;
    }

    private static void json(Context ctx, String route, int status, String body) {
        ctx.attribute(ROUTE, route);
        ctx.status(status).contentType(JSON).result(body);
    }

    private static void respond(Context ctx, RestResponse response) {
        json(ctx, response.route(), response.status(), response.body());
    }

    private String loopback() {
        String host = config.host();
        return host.equals("0.0.0.0") || host.equals("::") || host.isEmpty() ? "127.0.0.1" : host;
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
