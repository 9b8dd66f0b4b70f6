package io.pagenow.protocol;

/**
 * The answer to a {@link RestRequest}: always a JSON body.
 *
 * @param route the matched route template ({@code /conversations/{conversationId}}), or
 *              {@code "unmatched"}: a label for metrics and logs that never holds ids
 */
public record RestResponse(int status, String body, String route) {

    public static final String CONTENT_TYPE = "application/json; charset=utf-8";
}
