package io.pagenow.javalin;

import io.javalin.config.JavalinConfig;

import java.util.List;

/**
 * Browsers enforce CORS on the REST calls of the chat web client; the WebSockets carry their
 * token in the URL, not in a cookie, so a foreign page gains nothing from opening one.
 */
final class BrowserCors {

    private BrowserCors() {
    }

    /**
     * @param origins the allowed origins ({@code CLIENT_URL}); none: any origin in development mode,
     *                no CORS answer otherwise
     */
    static void apply(JavalinConfig javalin, List<String> origins, boolean developmentMode) {
        if (origins.isEmpty() && !developmentMode) {
            return;
        }
        javalin.bundledPlugins.enableCors(cors -> cors.addRule(rule -> {
            if (origins.isEmpty()) {
                rule.anyHost();
            } else {
                rule.allowHost(origins.get(0), origins.subList(1, origins.size()).toArray(String[]::new));
            }
            rule.maxAge = 600;
            // A client that keeps the list itself reads its tag and sends it back in If-None-Match
            // (a header a preflight permits: the plugin allows the headers a preflight asks for).
            rule.exposeHeader("ETag");
        }));
    }
}
