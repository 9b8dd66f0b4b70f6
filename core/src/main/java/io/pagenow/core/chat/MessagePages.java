package io.pagenow.core.chat;

import io.pagenow.core.chat.port.out.ConversationStore;
import io.pagenow.core.error.InvalidInputException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

/**
 * A page of a conversation's messages as a {@link MessageQuery} asks for it: counted from the
 * newest, or starting before or after a cursor message, in either order. The store pages newest
 * first except after a cursor (catch-up reads forward); this turns its order into the one asked.
 */
final class MessagePages {

    private final ConversationStore store;

    MessagePages(ConversationStore store) {
        this.store = store;
    }

    /** The page, of a conversation whose access the caller has already been checked for. */
    List<Message> page(UUID conversationId, MessageQuery query) {
        List<Message> newestFirst;
        if (query.after().isPresent()) {
            Message after = cursor("after", conversationId, query.after().get());
            List<Message> oldestFirst = store.after(conversationId, after.seq(), query.limit());
            if (query.order() == MessageQuery.Order.ASC) {
                return oldestFirst;
            }
            List<Message> newestFirstPage = new ArrayList<>(oldestFirst);
            Collections.reverse(newestFirstPage);
            return newestFirstPage;
        }
        if (query.before().isPresent()) {
            Message before = cursor("before", conversationId, query.before().get());
            newestFirst = store.before(conversationId, before.seq(), query.limit());
        } else {
            newestFirst = store.newest(conversationId, query.offset(), query.limit());
        }
        if (query.order() == MessageQuery.Order.ASC) {
            List<Message> oldestFirst = new ArrayList<>(newestFirst);
            Collections.reverse(oldestFirst);
            return oldestFirst;
        }
        return newestFirst;
    }

    /** The message a page cursor names; one of another conversation is as unknown as a missing one. */
    private Message cursor(String field, UUID conversationId, UUID messageId) {
        return store.findMessage(messageId)
                .filter(m -> m.conversationId().equals(conversationId))
                .orElseThrow(() -> new InvalidInputException(
                        "'" + field + "' names no message of this conversation: " + messageId));
    }
}
