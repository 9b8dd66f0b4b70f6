package io.pagenow.core.chat;

import io.pagenow.core.error.InvalidInputException;

import java.util.Optional;
import java.util.UUID;

/**
 * A window of a conversation's messages. Without a cursor, the newest {@code offset} messages are
 * skipped and the next {@code limit} taken; with {@code before}, the {@code limit} messages just
 * older than that message; with {@code after}, the {@code limit} messages just newer than it (the
 * oldest of those newer, for catching up). {@code offset} is ignored with a cursor, and
 * {@code order} only orders the window.
 */
public record MessageQuery(int limit, int offset, Order order, Optional<UUID> before, Optional<UUID> after) {

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
        if (after == null) {
            after = Optional.empty();
        }
        if (before.isPresent() && after.isPresent()) {
            throw new InvalidInputException("'before' and 'after' cannot be combined: give one cursor");
        }
    }

    public static MessageQuery newest(int limit) {
        return new MessageQuery(limit, 0, Order.DESC, Optional.empty(), Optional.empty());
    }

    public enum Order {
        ASC,
        DESC
    }
}
