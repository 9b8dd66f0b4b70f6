package io.pagenow.core.chat;

import io.pagenow.core.chat.port.Chat;
import io.pagenow.core.chat.port.ConversationStore;
import io.pagenow.core.delivery.Deliveries;

import java.time.Clock;

/** Builds the chat use cases; the only way in from a composition root. */
public final class ChatCore {

    private ChatCore() {
    }

    public static Chat create(ConversationStore store, Deliveries deliveries, Clock clock) {
        return new ChatService(store, deliveries, clock);
    }
}
