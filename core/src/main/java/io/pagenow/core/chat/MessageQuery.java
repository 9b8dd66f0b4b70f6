package io.pagenow.core.chat;

import io.pagenow.core.error.InvalidInputException;

import java.util.Optional;
import java.util.UUID;

/**
 * A window of a conversation's messages. Without {@code before}, the newest {@code offset}
 * messages are skipped and the next {@code limit} taken; with it, the {@code limit} messages
 * just older than that message ({@code offset} ignored). {@code order} only orders the window.
 */
public record MessageQuery(int limit, int offset, Order order, Optional<UUID> before) {

    public static final int DEFAULT_LIMIT = 20;
    public static final int MAX_LIMIT = 100;

    public MessageQuery {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidInputException("'limit' must be between 1 and " + MAX_LIMIT + ", was " + limit);
        }
        if (offset < 0) {
            throw new InvalidInputException("'offset' must be >= 0, was " + offset);
        }
        if (order == null) {
            order = Order.DESC;
        }
        if (before == null) {
            before = Optional.empty();
        }
    }

    public static MessageQuery newest(int limit) {
        return new MessageQuery(limit, 0, Order.DESC, Optional.empty());
    }

    public enum Order {
        ASC,
        DESC
    }
}
