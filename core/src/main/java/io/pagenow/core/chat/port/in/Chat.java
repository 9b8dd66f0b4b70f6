package io.pagenow.core.chat.port.in;

import io.pagenow.core.chat.Conversation;
import io.pagenow.core.chat.ConversationSummary;
import io.pagenow.core.chat.CreateConversation;
import io.pagenow.core.chat.Message;
import io.pagenow.core.chat.MessageQuery;
import io.pagenow.core.chat.SendMessage;
import io.pagenow.core.delivery.Connection;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Inbound port: every chat use case. {@code callerId} is the authenticated user; every method
 * checks that the caller may do what it asks.
 */
public interface Chat {

    Conversation createConversation(String callerId, CreateConversation request);

    Conversation conversation(String callerId, UUID conversationId);

    List<String> participants(String callerId, UUID conversationId);

    List<Message> messages(String callerId, UUID conversationId, MessageQuery query);

    Optional<UUID> directConversation(String callerId, String otherUserId);

    /**
     * The caller's conversations with at least one message, newest latest message first.
     *
     * @param read when present, only those whose read state equals it
     */
    List<ConversationSummary> conversations(String callerId, Optional<Boolean> read);

    /**
     * The version of the caller's conversation list (see {@code ConversationStore.listVersion}):
     * a list read after it is current for as long as it reads the same, so a transport may keep
     * the list it encoded and ask only this, one cheap store read, on the next request.
     */
    long conversationsVersion(String callerId);

    /** Stores the message, then pushes {@code new-message} to every chat connection of every participant. */
    Message send(String callerId, SendMessage request);

    /** Marks every message read for the caller, then pushes {@code read-messages} to all participants. */
    void read(String callerId, UUID conversationId);

    /**
     * Tells the other participants' chat connections (not the caller's own) that the caller is
     * typing. Nothing is stored; at most one per caller and conversation is forwarded per
     * {@code TYPING_INTERVAL}, extra ones are dropped silently.
     */
    void typing(String callerId, UUID conversationId);

    /**
     * Replaces the content of one of the caller's own messages (same content rules as a send),
     * then pushes {@code message-edited} to every participant.
     */
    Message edit(String callerId, UUID messageId, String content);

    /**
     * Deletes one of the caller's own messages, leaving a tombstone, then pushes
     * {@code message-deleted} to every participant.
     */
    Message delete(String callerId, UUID messageId);

    /** A chat socket opened. */
    void connect(Connection connection);

    /** A chat socket closed. */
    void disconnect(String connectionId);
}
