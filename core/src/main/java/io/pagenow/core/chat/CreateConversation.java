package io.pagenow.core.chat;

import java.util.List;

/** The request to create a conversation; validated by the use case, so any field may be missing (null). */
public record CreateConversation(List<String> recipientIds, Boolean group, String title) {
}
