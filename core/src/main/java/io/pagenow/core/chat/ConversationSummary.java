package io.pagenow.core.chat;

import java.util.Optional;

/**
 * One row of a user's conversation list.
 *
 * @param read        whether the user has read the latest message (a sender has read its own)
 * @param unreadCount messages newer than the user's read watermark
 */
public record ConversationSummary(Conversation conversation, Message latest, boolean read, long unreadCount) {

    /** Whether the row passes the unread filter: {@code read} empty passes every row. */
    public boolean matches(Optional<Boolean> read) {
        return read.isEmpty() || this.read == read.get();
    }

    static ConversationSummary of(ConversationActivity activity) {
        long unread = Math.max(0, activity.latest().seq() - activity.lastReadSeq());
        return new ConversationSummary(activity.conversation(), activity.latest(), unread == 0, unread);
    }
}
