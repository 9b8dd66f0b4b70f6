package io.pagenow.core.chat;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A stored message.
 *
 * @param seq           its position in the conversation: 1, 2, 3, ... with no gaps
 * @param tempMessageId the sender's own id for it, which makes sends idempotent
 */
public record Message(UUID id, UUID conversationId, long seq, String senderId, String content, Instant sentAt,
                      String tempMessageId) {
    public Message {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(conversationId, "conversationId");
        Objects.requireNonNull(senderId, "senderId");
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(sentAt, "sentAt");
    }
}
