package io.pagenow.protocol;

/**
 * The answer to a {@link RestRequest}: a JSON body, or none with status 304.
 *
 * @param route the matched route template ({@code /conversations/{conversationId}}), or
 *              {@code "unmatched"}: a label for metrics and logs that never holds ids
 * @param etag  the {@code ETag} header of an answer a client may revalidate (a quoted strong
 *              entity tag, the same on every node for the same body), or null
 */
public record RestResponse(int status, String body, String route, String etag) {

    public static final String CONTENT_TYPE = "application/json; charset=utf-8";
    /** The route label of a request no route matched. */
    public static final String UNMATCHED = "unmatched";
    /**
     * The {@code Cache-Control} of an answer with an {@code ETag}: only the user's own agent may
     * keep it (the answer is the caller's), and must ask again with {@code If-None-Match} before
     * each reuse, so a client never shows a list older than the server's.
     */
    public static final String REVALIDATE = "private, no-cache";
    /** The status of an answer whose body the client holds already ({@code If-None-Match} matched). */
    public static final int NOT_MODIFIED = 304;

    /** An answer without an entity tag. */
    public RestResponse(int status, String body, String route) {
        this(status, body, route, null);
    }

    /** Whether the answer has no body: the client's copy is current. */
    public boolean notModified() {
        return status == NOT_MODIFIED;
    }

    /** The protocol's error body, {@code {"error": message}}, for any transport that answers one itself. */
    public static RestResponse error(int status, String message, String route) {
        return new RestResponse(status, WireFormat.error(message), route);
    }

    /** A path no route has: the one 404 text, whichever layer finds out. */
    public static RestResponse noRoute(String path) {
        return error(404, "No route " + path, UNMATCHED);
    }

    /** A path some route has, with another method: the one 405 text, whichever layer finds out. */
    public static RestResponse methodNotAllowed(String method, String path) {
        return error(405, "Method " + method + " not allowed on " + path, UNMATCHED);
    }
}
