package io.pagenow.protocol;

/**
 * One REST route of docs/protocol.md.
 *
 * @param path the template, with path parameters in braces ({@code /conversations/{conversationId}})
 */
public record RestRoute(String method, String path) {
}
