package io.pagenow.javalin;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The web client's static files: served at / in development mode, under a strict CSP, shadowing no route. */
class WebClientTest {

    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void servesThePageAtTheRootWithAContentSecurityPolicy() {
        HttpResponse<String> page = server.get("/", null);
        assertEquals(200, page.statusCode());
        assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        assertTrue(page.body().contains("<script type=\"module\" src=\"app.js\"></script>"), page.body());
        assertFalse(page.body().matches("(?s).*<script(?![^>]*\\bsrc=)[^>]*>.*"), "no inline script");
        String csp = page.headers().firstValue("Content-Security-Policy").orElse("");
        assertTrue(csp.contains("script-src 'self'"), csp);
        assertTrue(csp.contains("object-src 'none'"), csp);
        assertFalse(csp.contains("unsafe-inline"), csp);
        assertEquals("nosniff", page.headers().firstValue("X-Content-Type-Options").orElse(""));

        HttpResponse<String> module = server.get("/app.js", null);
        assertEquals(200, module.statusCode());
        assertTrue(module.headers().firstValue("Content-Type").orElse("").contains("javascript"),
                module.headers().toString());
    }

    @Test
    void shadowsNoRoute() {
        assertEquals("{\"status\":\"up\"}", server.get("/health", null).body());
        assertEquals(200, server.get("/ready", null).statusCode());
        assertTrue(server.get("/metrics", null).body().contains("pagenow_"));
        assertEquals(401, server.get("/conversations", null).statusCode());
        assertEquals(401, server.get("/presence", null).statusCode());
        // Only the /web folder of the classpath is served, nothing beside it.
        assertEquals(404, server.get("/logback.xml", null).statusCode());
        assertEquals(404, server.get("/web/index.html", null).statusCode());
        HttpResponse<String> unknown = server.get("/no-such-file.js", null);
        assertEquals(404, unknown.statusCode());
        assertTrue(unknown.body().contains("\"error\""), unknown.body());
        // The sockets still upgrade, and the token route still answers.
        String token = server.token("alice");
        server.connect("/chat", token).close();
        server.connect("/presence", token).close();
    }

    @Test
    void offWhenSwitchedOffAndByDefaultOutsideDevelopmentMode() {
        try (TestServer off = TestServer.start(Map.of("WEB_CLIENT", "false"))) {
            assertEquals(404, off.get("/", null).statusCode());
            assertEquals(404, off.get("/app.js", null).statusCode());
        }
        Map<String, String> production = Map.of("AUTH_JWKS_URL", "http://127.0.0.1:9/jwks.json",
                "AUTH_ISSUER", "https://issuer.example");
        assertFalse(ServerConfig.fromEnvironment(production).webClient());
        assertTrue(ServerConfig.fromEnvironment(Map.of()).webClient());
        Map<String, String> on = new java.util.HashMap<>(production);
        on.put("WEB_CLIENT", "true");
        assertTrue(ServerConfig.fromEnvironment(on).webClient());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> ServerConfig.fromEnvironment(Map.of("WEB_CLIENT", "yes")));
        assertTrue(bad.getMessage().contains("WEB_CLIENT"), bad.getMessage());
    }
}
