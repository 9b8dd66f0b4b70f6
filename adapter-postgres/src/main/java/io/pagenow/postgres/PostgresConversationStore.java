package io.pagenow.postgres;

import io.pagenow.core.chat.Appended;
import io.pagenow.core.chat.Conversation;
import io.pagenow.core.chat.ConversationActivity;
import io.pagenow.core.chat.Message;
import io.pagenow.core.chat.port.out.ConversationStore;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import javax.sql.DataSource;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

import static io.pagenow.postgres.ConversationRows.CONVERSATION_COLUMNS;
import static io.pagenow.postgres.ConversationRows.conversation;
import static io.pagenow.postgres.MessageRows.message;

/**
 * Conversations in {@code conversation_table}, {@code participant_table} and {@code message_table}
 * (schema: the {@code db} module). A conversation's {@code last_seq} is the counter the next
 * message's sequence number comes from; appends (group-committed: {@link GroupCommit} writing with
 * {@link PostgresAppends}) lock the
 * conversation row until they commit, so concurrent senders get 1, 2, 3, ... in turn, and copy
 * the message into the conversation's {@code latest_*} columns, which is what the conversation
 * list reads. Each change to what a user's list shows also increments the user's list version
 * ({@link ListVersions}) in its transaction.
 *
 * <p>Conversations are created and found, and kept in memory once known, by {@link
 * ConversationTable}; the statements on messages are {@link MessageTable}'s. What stays here is
 * the port itself, the appends, and each user's view: read marks and the conversation list.
 */
final class PostgresConversationStore implements ConversationStore, AutoCloseable {

    /**
     * A user's conversation list in one statement: the user's participant rows (primary key) and
     * each conversation (primary key) with its participants and the copy of its latest message it
     * carries; no message_table row is read and no subquery runs per row. A conversation without
     * messages has last_seq 0.
     */
    static final String ACTIVITY_SQL = "SELECT " + CONVERSATION_COLUMNS + ", p_self.last_read_seq,"
            + " c.latest_message_id AS message_id, c.conversation_id, c.last_seq AS seq,"
            + " c.latest_sender_id AS sender_id, c.latest_content AS content, c.latest_sent_at AS sent_at,"
            + " c.latest_temp_message_id AS temp_message_id, c.latest_edited_at AS edited_at,"
            + " c.latest_deleted_at AS deleted_at"
            + " FROM participant_table p_self"
            + " JOIN conversation_table c ON c.conversation_id = p_self.conversation_id"
            + " WHERE p_self.user_id = :userId AND c.last_seq > 0"
            + " ORDER BY c.latest_sent_at DESC, c.latest_message_id DESC";

    /**
     * Moves the watermark and, in the same statement after it, the reader's list version. Only a
     * watermark that moves is written: reading a read conversation again costs no write.
     */
    static final String MARK_READ_SQL = "WITH moved AS (UPDATE participant_table p SET last_read_seq = c.last_seq"
            + " FROM conversation_table c WHERE c.conversation_id = p.conversation_id"
            + " AND p.conversation_id = :id AND p.user_id = :userId AND p.last_read_seq < c.last_seq"
            + " RETURNING p.last_read_seq), versions AS (" + ListVersions.ofUserWhen("moved") + ")"
            + " SELECT last_read_seq FROM moved";

    private final Jdbi jdbi;
    private final PostgresFailures failures;
    private final ConversationTable conversations;
    private final GroupCommit<Message, Appended> appends;

    /**
     * @param dataSource the pool {@code jdbi} is on, for the appends' plain JDBC
     * @param appendWait how long an append waits for its batch at most
     */
    PostgresConversationStore(Jdbi jdbi, DataSource dataSource, PostgresFailures failures, Duration appendWait) {
        this.jdbi = jdbi;
        this.failures = failures;
        this.conversations = new ConversationTable(jdbi, failures);
        this.appends = new GroupCommit<>("PostgreSQL", new PostgresAppends(dataSource, failures),
                PostgresAppends.MAX_BATCH, appendWait, "pagenow-postgres-append-writer");
    }

    @Override
    public Conversation createGroup(String createdBy, String title, Set<String> participantIds, Instant createdAt) {
        return conversations.createGroup(createdBy, title, participantIds, createdAt);
    }

    @Override
    public Conversation findOrCreateDirect(String createdBy, String otherUserId, Instant createdAt) {
        return conversations.findOrCreateDirect(createdBy, otherUserId, createdAt);
    }

    @Override
    public Optional<Conversation> find(UUID conversationId) {
        return conversations.find(conversationId);
    }

    @Override
    public Optional<UUID> findDirect(String userA, String userB) {
        return conversations.findDirect(userA, userB);
    }

    @Override
    public Optional<Message> findMessage(UUID messageId) {
        return failures.guard(() -> jdbi.withHandle(h -> MessageTable.find(h, messageId)));
    }

    @Override
    public Appended append(UUID conversationId, String senderId, String tempMessageId, String content,
                           Instant sentAt) {
        // A fresh id and no seq yet: the writer numbers it, or answers an earlier send's message.
        return appends.submit(new Message(UUID.randomUUID(), conversationId, 0, senderId, content, sentAt,
                tempMessageId, null, null));
    }

    /** Appends waiting for the writer, for tests that gather a batch. */
    int waitingAppends() {
        return appends.waiting();
    }

    @Override
    public List<Message> newest(UUID conversationId, int offset, int limit) {
        return page(conversationId, h -> MessageTable.newest(h, conversationId, offset, limit));
    }

    @Override
    public List<Message> before(UUID conversationId, long seq, int limit) {
        return page(conversationId, h -> MessageTable.before(h, conversationId, seq, limit));
    }

    @Override
    public List<Message> after(UUID conversationId, long seq, int limit) {
        return page(conversationId, h -> MessageTable.after(h, conversationId, seq, limit));
    }

    @Override
    public Optional<Message> edit(UUID messageId, String content, Instant editedAt) {
        return failures.guard(() -> jdbi.withHandle(h -> MessageTable.edit(h, messageId, content, editedAt)));
    }

    @Override
    public Optional<Message> delete(UUID messageId, Instant deletedAt) {
        return failures.guard(() -> jdbi.withHandle(h -> MessageTable.delete(h, messageId, deletedAt)));
    }

    /** An empty page of an unknown conversation is refused, as the in-memory store does; asked only when empty. */
    private List<Message> page(UUID conversationId, Function<Handle, List<Message>> query) {
        return failures.guard(() -> jdbi.withHandle(h -> {
            List<Message> page = query.apply(h);
            if (page.isEmpty() && !conversations.exists(h, conversationId)) {
                throw new IllegalArgumentException("no conversation " + conversationId);
            }
            return page;
        }));
    }

    @Override
    public long markRead(UUID conversationId, String userId) {
        return failures.guard(() -> jdbi.withHandle(h -> {
            Optional<Long> moved = h.createQuery(MARK_READ_SQL)
                    .bind("id", conversationId)
                    .bind("userId", userId)
                    .mapTo(Long.class)
                    .findOne();
            if (moved.isPresent()) {
                return moved.get();
            }
            return h.createQuery("SELECT last_read_seq FROM participant_table"
                            + " WHERE conversation_id = :id AND user_id = :userId")
                    .bind("id", conversationId)
                    .bind("userId", userId)
                    .mapTo(Long.class)
                    .findOne()
                    .orElseThrow(() -> new IllegalArgumentException(
                            userId + " is no participant of conversation " + conversationId));
        }));
    }

    @Override
    public long listVersion(String userId) {
        return failures.guard(() -> jdbi.withHandle(h -> ListVersions.of(h, userId)));
    }

    @Override
    public List<ConversationActivity> activityOf(String userId) {
        return failures.guard(() -> jdbi.withHandle(h -> h.createQuery(ACTIVITY_SQL)
                .bind("userId", userId)
                .map((rs, ctx) -> new ConversationActivity(conversation(rs), message(rs), rs.getLong("last_read_seq")))
                .list()));
    }

    /** Stops the append writer; appends still waiting fail with {@code StoreUnavailableException}. */
    @Override
    public void close() {
        appends.close();
    }
}
