package io.pagenow.core.chat;

import io.pagenow.core.chat.port.out.ConversationStore;
import io.pagenow.core.error.ForbiddenException;
import io.pagenow.core.error.InvalidInputException;
import io.pagenow.core.error.NotFoundException;

import java.util.UUID;

/**
 * Who may see and change what: a conversation only its participants, a message only its sender
 * while it is not deleted. Each chat use case asks here before it reads or writes anything.
 */
final class ConversationAccess {

    private final ConversationStore store;

    ConversationAccess(ConversationStore store) {
        this.store = store;
    }

    /** A conversation the caller is a participant of. */
    Conversation participated(String callerId, UUID conversationId) {
        if (conversationId == null) {
            throw InvalidInputException.missing("conversationId");
        }
        Conversation conversation = store.find(conversationId)
                .orElseThrow(() -> new NotFoundException("Conversation not found: " + conversationId));
        if (!conversation.hasParticipant(callerId)) {
            throw new ForbiddenException("Not a participant of conversation " + conversationId);
        }
        return conversation;
    }

    /** A message the caller sent (so also one of a conversation the caller is in) that is not deleted. */
    Message ownMessage(String callerId, UUID messageId) {
        if (messageId == null) {
            throw InvalidInputException.missing("messageId");
        }
        Message message = store.findMessage(messageId).orElseThrow(() -> gone(messageId));
        if (!message.senderId().equals(callerId)) {
            // Also for messages of conversations the caller is not in: 403 either way, nothing told.
            throw new ForbiddenException("Not your message: " + messageId);
        }
        if (message.deleted()) {
            throw gone(messageId);
        }
        return message;
    }

    /** The answer for a message that is not there, or no longer: deleted ones are as unknown as missing ones. */
    static NotFoundException gone(UUID messageId) {
        return new NotFoundException("Message not found: " + messageId);
    }
}
