package io.pagenow.protocol;

/**
 * The answer to a {@link RestRequest}: always a JSON body.
 *
 * @param route the matched route template ({@code /conversations/{conversationId}}), or
 *              {@code "unmatched"}: a label for metrics and logs that never holds ids
 */
public record RestResponse(int status, String body, String route) {

    public static final String CONTENT_TYPE = "application/json; charset=utf-8";
    /** The route label of a request no route matched. */
    public static final String UNMATCHED = "unmatched";

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
