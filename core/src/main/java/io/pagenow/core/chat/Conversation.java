package io.pagenow.core.chat;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A direct or group conversation.
 *
 * @param title          {@code ""} for direct conversations
 * @param participantIds every participant, the creator included, in a stable order
 */
public record Conversation(UUID id, String title, boolean group, String createdBy, Instant createdAt,
                           List<String> participantIds) {

    public Conversation {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(createdBy, "createdBy");
        Objects.requireNonNull(createdAt, "createdAt");
        participantIds = List.copyOf(participantIds);
    }

    public boolean hasParticipant(String userId) {
        return participantIds.contains(userId);
    }

    /** The participants other than {@code userId}. */
    public List<String> othersThan(String userId) {
        return participantIds.stream().filter(p -> !p.equals(userId)).toList();
    }

    /** Any participant other than {@code userId} (the protocol's {@code participantId}). */
    public Optional<String> anyOtherThan(String userId) {
        return participantIds.stream().filter(p -> !p.equals(userId)).findFirst();
    }
}
