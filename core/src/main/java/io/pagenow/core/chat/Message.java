package io.pagenow.core.chat;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A stored message.
 *
 * @param seq           its position in the conversation: 1, 2, 3, ... with no gaps
 * @param tempMessageId the sender's own id for it, which makes sends idempotent per conversation
 * @param editedAt      when its sender last changed its content, or null
 * @param deletedAt     when its sender deleted it, or null; a deleted message stays as a tombstone
 *                      with empty content so that sequence numbers and pages do not move
 */
public record Message(UUID id, UUID conversationId, long seq, String senderId, String content, Instant sentAt,
                      String tempMessageId, Instant editedAt, Instant deletedAt) {
    public Message {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(conversationId, "conversationId");
        Objects.requireNonNull(senderId, "senderId");
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(sentAt, "sentAt");
    }

    public boolean deleted() {
        return deletedAt != null;
    }

    /** This message with new content, edited at {@code at}. */
    public Message edited(String newContent, Instant at) {
        return new Message(id, conversationId, seq, senderId, newContent, sentAt, tempMessageId, at, deletedAt);
    }

    /** The tombstone of this message, deleted at {@code at}. */
    public Message deletedAt(Instant at) {
        return new Message(id, conversationId, seq, senderId, "", sentAt, tempMessageId, editedAt, at);
    }
}
