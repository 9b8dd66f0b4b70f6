package io.pagenow.core.chat;

import io.pagenow.core.chat.port.in.Chat;
import io.pagenow.core.chat.port.out.ConversationStore;
import io.pagenow.core.delivery.Deliveries;
import io.pagenow.core.social.port.out.SocialGraph;

import java.time.Clock;
import java.util.Optional;

/** Builds the chat use cases; the only way in from a composition root. */
public final class ChatCore {

    /** The most participants a group holds, its creator included, unless configured otherwise. */
    public static final int DEFAULT_MAX_GROUP_PARTICIPANTS = 100;

    private ChatCore() {
    }

    /** With the default group size and no user directory: any user id may be a participant. */
    public static Chat create(ConversationStore store, Deliveries deliveries, Clock clock) {
        return create(store, deliveries, clock, DEFAULT_MAX_GROUP_PARTICIPANTS, Optional.empty());
    }

    /**
     * @param maxGroupParticipants the most participants of a group, its creator included (at least 3)
     * @param directory            when present, every participant of a new conversation must be a user it knows
     */
    public static Chat create(ConversationStore store, Deliveries deliveries, Clock clock, int maxGroupParticipants,
                              Optional<SocialGraph> directory) {
        return new ChatService(store, deliveries, clock, maxGroupParticipants, directory);
    }
}
