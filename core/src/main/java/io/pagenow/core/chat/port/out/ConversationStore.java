package io.pagenow.core.chat.port.out;

import io.pagenow.core.chat.Appended;
import io.pagenow.core.chat.Conversation;
import io.pagenow.core.chat.ConversationActivity;
import io.pagenow.core.chat.Message;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** Outbound port: durable conversations, messages and read watermarks. */
public interface ConversationStore {

    /** Creates a group conversation whose participants are {@code participantIds} (the creator among them). */
    Conversation createGroup(String createdBy, String title, Set<String> participantIds, Instant createdAt);

    /**
     * Returns the direct conversation of the two users, creating it when there is none. Two
     * concurrent calls for one pair end with one conversation.
     */
    Conversation findOrCreateDirect(String createdBy, String otherUserId, Instant createdAt);

    Optional<Conversation> find(UUID conversationId);

    /** The direct conversation of the two users, if any (argument order does not matter). */
    Optional<UUID> findDirect(String userA, String userB);

    Optional<Message> findMessage(UUID messageId);

    /**
     * Stores a message as the conversation's next sequence number and moves the sender's read
     * watermark to it, in one atomic step. Idempotent per (sender, conversation, tempMessageId): a
     * second call stores nothing and returns the stored message with {@code created == false}; the
     * same tempMessageId in another conversation is another message.
     */
    Appended append(UUID conversationId, String senderId, String tempMessageId, String content, Instant sentAt);

    /** Skips the newest {@code offset} messages and returns the next {@code limit}, newest first. */
    List<Message> newest(UUID conversationId, int offset, int limit);

    /** The {@code limit} messages with a sequence number below {@code seq}, newest first. */
    List<Message> before(UUID conversationId, long seq, int limit);

    /** The {@code limit} messages with a sequence number just above {@code seq}, oldest first. */
    List<Message> after(UUID conversationId, long seq, int limit);

    /**
     * Replaces the content of a message that is not deleted, and keeps the conversation's latest
     * message (what the conversation list shows) in step when it is that one.
     *
     * @return the message as changed; empty when there is no such message or it is deleted (nothing changed)
     */
    Optional<Message> edit(UUID messageId, String content, Instant editedAt);

    /**
     * Turns a message that is not deleted into a tombstone: empty content, {@code deletedAt} set,
     * same id and sequence number; the conversation's latest message follows as for {@link #edit}.
     *
     * @return the tombstone; empty when there is no such message or it is deleted already (nothing changed)
     */
    Optional<Message> delete(UUID messageId, Instant deletedAt);

    /**
     * Moves the user's read watermark to the conversation's latest message (never backwards).
     *
     * @return the watermark after the move
     */
    long markRead(UUID conversationId, String userId);

    /** The user's conversations that have at least one message, newest latest message first. */
    List<ConversationActivity> activityOf(String userId);

    /**
     * A number that changes with every change to the user's conversation list: a message appended
     * to, or the latest message edited or deleted in, one of the user's conversations; the user's
     * read watermark moving; a conversation of the user's created. It changes no later than the
     * change becomes visible to {@link #activityOf}, on every node sharing the store, so a list
     * read after the version holds every change up to it and stays current for as long as the
     * version reads the same. It may also change when the list did not; it never changes for
     * another user's conversations.
     */
    long listVersion(String userId);
}
