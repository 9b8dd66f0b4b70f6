package io.pagenow.protocol;

import java.util.Map;
import java.util.Objects;

/**
 * An HTTP request as any transport sees it.
 *
 * @param method        {@code GET}, {@code POST}, ...
 * @param path          the path below the API root, percent-encoded as sent ({@code /conversations/...})
 * @param query         query parameters, the first value of each
 * @param authorization the {@code Authorization} header, or null
 * @param body          the body as text, or null when there is none
 * @param ifNoneMatch   the {@code If-None-Match} header (the entity tags of the answer the client
 *                      holds), or null
 */
public record RestRequest(String method, String path, Map<String, String> query, String authorization,
                          String body, String ifNoneMatch) {
    public RestRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        query = query == null ? Map.of() : Map.copyOf(query);
    }

    /** A request without {@code If-None-Match}. */
    public RestRequest(String method, String path, Map<String, String> query, String authorization, String body) {
        this(method, path, query, authorization, body, null);
    }
}
