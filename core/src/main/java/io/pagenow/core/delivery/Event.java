package io.pagenow.core.delivery;

import java.time.Instant;
import java.util.UUID;

/** What the server pushes to clients. Each transport encodes these as the events of docs/protocol.md. */
public sealed interface Event {

    /** The channel whose connections receive this event. */
    Channel channel();

    /** {@code new-message}: a stored message, to every connection of every participant. */
    record NewMessage(UUID messageId, String tempMessageId, UUID conversationId, String senderId,
                      String content, Instant sentAt) implements Event {
        @Override
        public Channel channel() {
            return Channel.CHAT;
        }
    }

    /** {@code read-messages}: {@code userId} has read every message of the conversation. */
    record MessagesRead(UUID conversationId, String userId) implements Event {
        @Override
        public Channel channel() {
            return Channel.CHAT;
        }
    }

    /** {@code typing}: {@code userId} is typing in the conversation; to the other participants only, never stored. */
    record Typing(UUID conversationId, String userId) implements Event {
        @Override
        public Channel channel() {
            return Channel.CHAT;
        }
    }

    /** {@code message-edited}: the sender replaced a message's content, to every participant. */
    record MessageEdited(UUID messageId, UUID conversationId, String content, Instant editedAt) implements Event {
        @Override
        public Channel channel() {
            return Channel.CHAT;
        }
    }

    /** {@code message-deleted}: the sender deleted a message, which stays as a tombstone; to every participant. */
    record MessageDeleted(UUID messageId, UUID conversationId, Instant deletedAt) implements Event {
        @Override
        public Channel channel() {
            return Channel.CHAT;
        }
    }

    /** {@code update-presence}: the user's current and latest shared page. */
    record PresenceUpdate(String userId, String url, String title, String domain,
                          String latestUrl, String latestTitle, String latestDomain) implements Event {
        @Override
        public Channel channel() {
            return Channel.PRESENCE;
        }
    }

    /** {@code presence-timeout}: the user went offline. */
    record PresenceTimeout(String userId) implements Event {
        @Override
        public Channel channel() {
            return Channel.PRESENCE;
        }
    }
}
