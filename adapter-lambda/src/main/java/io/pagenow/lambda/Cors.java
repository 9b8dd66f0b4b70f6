package io.pagenow.lambda;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Cross-origin headers for the configured client origins ({@code CLIENT_URL}). An origin not
 * configured gets no CORS header, so the browser keeps the answer from the page; tokens travel in
 * the {@code Authorization} header, never in cookies, so credentials are not allowed.
 */
final class Cors {

    private static final String ALLOWED_METHODS = "GET, POST, OPTIONS";
    /** If-None-Match: for a client that keeps answers itself and revalidates them by their ETag. */
    private static final String ALLOWED_HEADERS = "Authorization, Content-Type, If-None-Match";
    /** The ETag of GET /conversations and the message pages, for such a client to read. */
    private static final String EXPOSED_HEADERS = "ETag";
    private static final String PREFLIGHT_MAX_AGE_SECONDS = "600";

    private final Set<String> origins;

    Cors(List<String> origins) {
        this.origins = Set.copyOf(origins);
    }

    /** The headers of an answer to a request from {@code origin} (null when the request had none). */
    Map<String, String> headers(String origin) {
        Map<String, String> headers = new LinkedHashMap<>();
        // Caches must not hand one origin's answer to another.
        headers.put("Vary", "Origin");
        if (origin != null && origins.contains(origin)) {
            headers.put("Access-Control-Allow-Origin", origin);
            headers.put("Access-Control-Expose-Headers", EXPOSED_HEADERS);
        }
        return headers;
    }

    /** The headers of an answer to a preflight ({@code OPTIONS}) from {@code origin}. */
    Map<String, String> preflight(String origin) {
        Map<String, String> headers = headers(origin);
        if (headers.containsKey("Access-Control-Allow-Origin")) {
            headers.put("Access-Control-Allow-Methods", ALLOWED_METHODS);
            headers.put("Access-Control-Allow-Headers", ALLOWED_HEADERS);
            headers.put("Access-Control-Max-Age", PREFLIGHT_MAX_AGE_SECONDS);
        }
        return headers;
    }
}
