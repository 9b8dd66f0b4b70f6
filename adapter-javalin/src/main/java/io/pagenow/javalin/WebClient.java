package io.pagenow.javalin;

import io.javalin.config.JavalinConfig;
import io.javalin.http.staticfiles.Location;

import java.util.Map;

/**
 * The web client: plain HTML, CSS and ES modules from the jar's {@code /web} folder, served at
 * {@code /}. Javalin consults static files only for a request no route matched, so the REST
 * routes, the operations routes and the WebSocket paths keep precedence; an unknown file still
 * gets the server's JSON 404.
 */
final class WebClient {

    /**
     * Every string the client shows comes from the wire, so the page may run only its own modules:
     * no inline script, no eval, no plugin, no framing, and it may talk only to its own origin
     * (Chromium counts same-origin ws: and wss: as 'self').
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self';"
            + " img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none';"
            + " form-action 'self'; frame-ancestors 'none'";

    private WebClient() {
    }

    static void register(JavalinConfig javalin) {
        javalin.staticFiles.add(files -> {
            files.hostedPath = "/";
            files.directory = "/web";
            files.location = Location.CLASSPATH;
            files.headers = Map.of(
                    "Content-Security-Policy", CONTENT_SECURITY_POLICY,
                    "X-Content-Type-Options", "nosniff",
                    "Referrer-Policy", "no-referrer",
                    // Small files, changed with each release: always revalidated, never stale.
                    "Cache-Control", "no-cache");
        });
    }
}
