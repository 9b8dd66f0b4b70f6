package io.pagenow.core.chat;

import java.util.UUID;

/** The request to send a message; validated by the use case, so any field may be missing (null). */
public record SendMessage(String tempMessageId, UUID conversationId, String content) {
}
