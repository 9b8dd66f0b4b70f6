package io.pagenow.bench.jetty;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A bare Jetty WebSocket echo server, started by the bench as the connect storm's reference:
 * {@code java -cp pagenow-bench.jar io.pagenow.bench.jetty.EchoServer}. It answers what the load
 * generator asks of a server around a storm (`/ready`, `POST /dev/token`, `/metrics`, any other
 * GET with {@code {}}) and accepts every upgrade on {@code /chat} and {@code /presence}, echoing
 * text frames: no token check, no registration, no store. Same accept queue (1,024) and thread
 * count (250, Javalin's default) as the server.
 *
 * <p>Environment: {@code PORT} (default 8080), {@code HOST} (default 0.0.0.0), {@code DEFLATE}
 * ({@code false} declines permessage-deflate; by default it is accepted when offered, as
 * Jetty does).
 */
public final class EchoServer {

    private EchoServer() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> env = System.getenv();
        int port = Integer.parseInt(env.getOrDefault("PORT", "8080"));
        boolean deflate = !"false".equalsIgnoreCase(env.getOrDefault("DEFLATE", "true"));
        Server server = new Server(new QueuedThreadPool(250, 8));
        ServerConnector connector = new ServerConnector(server);
        connector.setHost(env.getOrDefault("HOST", "0.0.0.0"));
        connector.setPort(port);
        connector.setAcceptQueueSize(1024);
        server.addConnector(connector);

        ContextHandler context = new ContextHandler("/");
        WebSocketUpgradeHandler upgrades = WebSocketUpgradeHandler.from(server, context, container -> {
            // The server's idle limit (Jetty's default, 30 s, closed sockets a slow storm had opened first).
            container.setIdleTimeout(Duration.ofMinutes(10));
            for (String path : List.of("/chat", "/presence")) {
                container.addMapping(path, (request, response, callback) -> {
                    if (!deflate) {
                        response.setExtensions(List.of());
                    }
                    return new Echo();
                });
            }
        });
        upgrades.setHandler(new Plain());
        context.setHandler(upgrades);
        server.setHandler(context);
        server.start();
        System.out.println("jetty echo server on port " + port + ", permessage-deflate "
                + (deflate ? "accepted" : "declined"));
        server.join();
    }

    /** Every text frame back to its sender. */
    public static final class Echo extends Session.Listener.AbstractAutoDemanding {
        @Override
        public void onWebSocketText(String message) {
            getSession().sendText(message, org.eclipse.jetty.websocket.api.Callback.NOOP);
        }
    }

    /** What the load generator asks over HTTP around a storm, answered without any work. */
    private static final class Plain extends Handler.Abstract {
        private final AtomicLong tokens = new AtomicLong();

        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            Content.Source.consumeAll(request);
            String path = Request.getPathInContext(request);
            String body = switch (path) {
                case "/dev/token" -> "{\"token\":\"echo-" + tokens.incrementAndGet() + "\"}";
                case "/metrics" -> ""; // no meters: an empty Prometheus text
                default -> "{}";
            };
            response.setStatus(200);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
            Content.Sink.write(response, true, body, callback);
            return true;
        }
    }
}
