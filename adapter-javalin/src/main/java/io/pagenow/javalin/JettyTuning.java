package io.pagenow.javalin;

import io.javalin.config.JavalinConfig;
import io.pagenow.protocol.SocketApi;
import jakarta.servlet.DispatcherType;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.ThreadPool;
import org.eclipse.jetty.websocket.core.server.WebSocketServerComponents;

import java.time.Duration;
import java.util.EnumSet;

/**
 * What this server changes in Jetty, each setting with its measured reason, and what tests read
 * back of it (the thread pool, the accept queue, the header cache, the unused HTTP sessions, the
 * declined permessage-deflate).
 */
final class JettyTuning {

    /** The AWS WebSocket idle limit the clients are written against. */
    static final Duration IDLE_TIMEOUT = Duration.ofMinutes(10);
    /**
     * Connections the kernel queues for Jetty's acceptor. Jetty's default leaves the JDK's 50: in a
     * 10,000-socket connect storm the queue overflowed (ListenOverflows), the kernel dropped the
     * SYNs, and clients retried them 1, 3, 7 s later, which made connects take seconds with the
     * server mostly idle. Bounded by the kernel's {@code net.core.somaxconn}.
     */
    static final int ACCEPT_QUEUE_SIZE = 1024;
    /** The WebSocket extension browsers offer, which this server declines. */
    static final String PERMESSAGE_DEFLATE = "permessage-deflate";
    /** A client that stops reading gets this many frames queued before its socket is given up. */
    private static final int MAX_QUEUED_FRAMES = 1024;

    private volatile Server jetty;
    private volatile ServletContextHandler servletContext;

    /** @param shutdownGrace how long a stop waits for in-flight requests */
    void apply(JavalinConfig javalin, Duration shutdownGrace) {
        javalin.jetty.modifyServer(server -> {
            jetty = server;
            // Lets a stop wait for in-flight requests while refusing new ones.
            GracefulHandler graceful = new GracefulHandler();
            // Idle keep-alive connections need not linger through a stop; busy ones still finish.
            graceful.setShutdownIdleTimeout(100);
            server.insertHandler(graceful);
            server.setStopTimeout(shutdownGrace.toMillis());
            server.setErrorHandler(new JsonErrorHandler());
        });
        // Javalin adds its connector after modifyServer and before this event, which precedes the bind.
        javalin.events.serverStarting(() -> {
            // Browsers offer permessage-deflate on every socket and Jetty accepted it: a deflater and
            // an inflater held per socket once frames flow (about 110 KiB of resident memory per
            // socket) and about 1.5x the CPU per frame, to compress JSON frames of a few hundred
            // bytes. Declined: an unlisted extension is simply not negotiated (docs/protocol.md).
            WebSocketServerComponents.ensureWebSocketComponents(jetty, servletContext).getExtensionRegistry()
                    .unregister(PERMESSAGE_DEFLATE);
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
}
