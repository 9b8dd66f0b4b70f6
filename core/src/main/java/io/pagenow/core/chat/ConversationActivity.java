package io.pagenow.core.chat;

/**
 * A conversation as one participant sees it in a listing.
 *
 * @param latest      its newest message
 * @param lastReadSeq the participant's read watermark: every message up to this sequence number is read
 */
public record ConversationActivity(Conversation conversation, Message latest, long lastReadSeq) {
}
