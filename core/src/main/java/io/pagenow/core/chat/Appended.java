package io.pagenow.core.chat;

/**
 * The result of appending a message.
 *
 * @param created false when a message with the same sender and temporary id was already stored;
 *                {@code message} is then that stored one
 */
public record Appended(Message message, boolean created) {
}
