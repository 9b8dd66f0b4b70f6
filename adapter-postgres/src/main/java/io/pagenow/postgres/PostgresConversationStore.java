package io.pagenow.postgres;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.pagenow.core.chat.Appended;
import io.pagenow.core.chat.Conversation;
import io.pagenow.core.chat.ConversationActivity;
import io.pagenow.core.chat.Message;
import io.pagenow.core.chat.port.out.ConversationStore;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

import javax.sql.DataSource;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static io.pagenow.postgres.MessageRows.MESSAGE_COLUMNS;
import static io.pagenow.postgres.MessageRows.message;
import static io.pagenow.postgres.MessageRows.utc;

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
 * <p>A conversation never changes after its creation and is never deleted, so found and created
 * ones are kept in memory (bounded): the participant check of every send and page then costs no
 * query. Only conversations that exist are kept; an unknown id is asked again each time.
 */
final class PostgresConversationStore implements ConversationStore, AutoCloseable {

    /** A conversation: its row alone, which carries its participants in their order. */
    private static final String CONVERSATION_COLUMNS = "c.conversation_id, c.title, c.is_group, c.created_by,"
            + " c.created_at, c.participant_ids";
    /** The pair key of a direct conversation, in the byte order the schema's check constraint uses. */
    private static final String PAIR_A = "least(CAST(:userA AS varchar) COLLATE \"C\", CAST(:userB AS varchar) COLLATE \"C\")";
    private static final String PAIR_B = "greatest(CAST(:userA AS varchar) COLLATE \"C\", CAST(:userB AS varchar) COLLATE \"C\")";

    /**
     * A page of the newest messages. Sequence numbers have no gaps, so skipping the newest
     * {@code offset} is a range on the (conversation_id, seq) index instead of reading and
     * discarding {@code offset} rows.
     */
    static final String NEWEST_SQL = "SELECT " + MESSAGE_COLUMNS
            + " FROM message_table m WHERE m.conversation_id = :id AND m.seq <= "
            + "(SELECT c.last_seq FROM conversation_table c WHERE c.conversation_id = :id) - :offset"
            + " ORDER BY m.seq DESC LIMIT :limit";
    /** A page of the messages before a sequence number (keyset paging). */
    static final String BEFORE_SQL = "SELECT " + MESSAGE_COLUMNS
            + " FROM message_table m WHERE m.conversation_id = :id AND m.seq < :seq ORDER BY m.seq DESC LIMIT :limit";
    /** A page of the messages after a sequence number, oldest first (catch-up). */
    static final String AFTER_SQL = "SELECT " + MESSAGE_COLUMNS
            + " FROM message_table m WHERE m.conversation_id = :id AND m.seq > :seq ORDER BY m.seq LIMIT :limit";
    /**
     * Changes a message that is not deleted (the sets {@code :content}, {@code :editedAt} and
     * {@code :deletedAt} are the change's), and the conversation's copy of its latest message when
     * it is that one. The message row's lock comes first and the conversation's second; an append
     * takes only the conversation's, so the two cannot deadlock, and the copy is compared after
     * the lock, so an append committed in between keeps its own copy. A change of the latest
     * message changes every participant's list: their list versions rows come last.
     */
    private static final String CHANGE_SQL = "WITH changed AS ("
            + " UPDATE message_table m SET content = :content, edited_at = coalesce(CAST(:editedAt AS timestamptz), m.edited_at),"
            + " deleted_at = CAST(:deletedAt AS timestamptz) WHERE m.message_id = :id AND m.deleted_at IS NULL RETURNING " + MESSAGE_COLUMNS
            + "), latest AS ("
            + " UPDATE conversation_table c SET latest_content = changed.content, latest_edited_at = changed.edited_at,"
            + " latest_deleted_at = changed.deleted_at FROM changed"
            + " WHERE c.conversation_id = changed.conversation_id AND c.latest_message_id = changed.message_id"
            + " RETURNING c.participant_ids), versions AS (" + ListVersions.ofParticipantsIn("latest") + ")"
            + " SELECT * FROM changed";
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

    private static final RowMapper<Conversation> CONVERSATION = (rs, ctx) -> conversation(rs);
    private static final RowMapper<Message> MESSAGE = (rs, ctx) -> message(rs);

    /** Conversations kept at most; the least recently used go first. */
    static final long MAXIMUM_CACHED_CONVERSATIONS = 100_000;

    private final Jdbi jdbi;
    private final PostgresFailures failures;
    private final GroupCommit<Message, Appended> appends;
    private final Cache<UUID, Conversation> conversations = Caffeine.newBuilder()
            .maximumSize(MAXIMUM_CACHED_CONVERSATIONS)
            // Evictions and the like on the calling thread: nothing here is worth a pool thread.
            .executor(Runnable::run)
            .build();

    /**
     * @param dataSource the pool {@code jdbi} is on, for the appends' plain JDBC
     * @param appendWait how long an append waits for its batch at most
     */
    PostgresConversationStore(Jdbi jdbi, DataSource dataSource, PostgresFailures failures, Duration appendWait) {
        this.jdbi = jdbi;
        this.failures = failures;
        this.appends = new GroupCommit<>("PostgreSQL", new PostgresAppends(dataSource, failures),
                PostgresAppends.MAX_BATCH, appendWait, "pagenow-postgres-append-writer");
    }

    @Override
    public Conversation createGroup(String createdBy, String title, Set<String> participantIds, Instant createdAt) {
        Conversation conversation = new Conversation(UUID.randomUUID(), title, true, createdBy, createdAt,
                List.copyOf(participantIds));
        return cached(failures.guard(() -> jdbi.inTransaction(h -> {
            h.createUpdate("INSERT INTO conversation_table (conversation_id, created_by, created_at, title, is_group,"
                            + " participant_ids) VALUES (:id, :createdBy, :createdAt, :title, true, :userIds)")
                    .bind("id", conversation.id())
                    .bind("createdBy", createdBy)
                    .bind("createdAt", utc(createdAt))
                    .bind("title", title)
                    .bind("userIds", participants(conversation))
                    .execute();
            addParticipants(h, conversation);
            return conversation;
        })));
    }

    @Override
    public Conversation findOrCreateDirect(String createdBy, String otherUserId, Instant createdAt) {
        if (createdBy.equals(otherUserId)) {
            throw new IllegalArgumentException("a direct conversation needs two different users");
        }
        Conversation candidate = new Conversation(UUID.randomUUID(), "", false, createdBy, createdAt,
                List.of(createdBy, otherUserId));
        return cached(failures.guard(() -> jdbi.inTransaction(h -> {
            // A concurrent create of the same pair makes this insert wait for it and then do
            // nothing; the lookup below, a new snapshot, sees the winner's committed row.
            int inserted = h.createUpdate("INSERT INTO conversation_table (conversation_id, created_by, created_at,"
                            + " title, is_group, direct_user_a, direct_user_b, participant_ids)"
                            + " VALUES (:id, :userA, :createdAt, '', false, " + PAIR_A + ", " + PAIR_B + ", :userIds)"
                            + " ON CONFLICT (direct_user_a, direct_user_b) DO NOTHING")
                    .bind("id", candidate.id())
                    .bind("userA", createdBy)
                    .bind("userB", otherUserId)
                    .bind("createdAt", utc(createdAt))
                    .bind("userIds", participants(candidate))
                    .execute();
            if (inserted == 1) {
                addParticipants(h, candidate);
                return candidate;
            }
            return h.createQuery("SELECT " + CONVERSATION_COLUMNS + " FROM conversation_table c"
                            + " WHERE c.direct_user_a = " + PAIR_A + " AND c.direct_user_b = " + PAIR_B)
                    .bind("userA", createdBy)
                    .bind("userB", otherUserId)
                    .map(CONVERSATION)
                    .one();
        })));
    }

    @Override
    public Optional<Conversation> find(UUID conversationId) {
        Conversation known = conversations.getIfPresent(conversationId);
        if (known != null) {
            return Optional.of(known);
        }
        return failures.guard(() -> jdbi.withHandle(h -> h.createQuery(
                        "SELECT " + CONVERSATION_COLUMNS + " FROM conversation_table c WHERE c.conversation_id = :id")
                .bind("id", conversationId)
                .map(CONVERSATION)
                .findOne()))
                .map(this::cached);
    }

    /** Keeps a conversation that exists (committed); it never changes, so it never needs reading again. */
    private Conversation cached(Conversation conversation) {
        conversations.put(conversation.id(), conversation);
        return conversation;
    }

    @Override
    public Optional<UUID> findDirect(String userA, String userB) {
        if (userA.equals(userB)) {
            return Optional.empty();
        }
        return failures.guard(() -> jdbi.withHandle(h -> h.createQuery("SELECT conversation_id"
                        + " FROM conversation_table WHERE direct_user_a = " + PAIR_A + " AND direct_user_b = " + PAIR_B)
                .bind("userA", userA)
                .bind("userB", userB)
                .mapTo(UUID.class)
                .findOne()));
    }

    @Override
    public Optional<Message> findMessage(UUID messageId) {
        return failures.guard(() -> jdbi.withHandle(h -> h.createQuery(
                        "SELECT " + MESSAGE_COLUMNS + " FROM message_table m WHERE m.message_id = :id")
                .bind("id", messageId)
                .map(MESSAGE)
                .findOne()));
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
        return failures.guard(() -> jdbi.withHandle(h -> existing(h, conversationId, h.createQuery(NEWEST_SQL)
                .bind("id", conversationId)
                .bind("offset", (long) offset)
                .bind("limit", limit)
                .map(MESSAGE)
                .list())));
    }

    @Override
    public List<Message> before(UUID conversationId, long seq, int limit) {
        return page(BEFORE_SQL, conversationId, seq, limit);
    }

    @Override
    public List<Message> after(UUID conversationId, long seq, int limit) {
        return page(AFTER_SQL, conversationId, seq, limit);
    }

    /** A keyset page: the {@code limit} messages on one side of {@code seq}. */
    private List<Message> page(String sql, UUID conversationId, long seq, int limit) {
        return failures.guard(() -> jdbi.withHandle(h -> existing(h, conversationId, h.createQuery(sql)
                .bind("id", conversationId)
                .bind("seq", seq)
                .bind("limit", limit)
                .map(MESSAGE)
                .list())));
    }

    @Override
    public Optional<Message> edit(UUID messageId, String content, Instant editedAt) {
        return change(messageId, content, editedAt, null);
    }

    @Override
    public Optional<Message> delete(UUID messageId, Instant deletedAt) {
        return change(messageId, "", null, deletedAt);
    }

    private Optional<Message> change(UUID messageId, String content, Instant editedAt, Instant deletedAt) {
        return failures.guard(() -> jdbi.withHandle(h -> h.createQuery(CHANGE_SQL)
                .bind("id", messageId)
                .bind("content", content)
                .bind("editedAt", editedAt == null ? null : utc(editedAt))
                .bind("deletedAt", deletedAt == null ? null : utc(deletedAt))
                .map(MESSAGE)
                .findOne()));
    }

    /** An empty page of an unknown conversation is refused, as the in-memory store does; asked only when empty. */
    private List<Message> existing(Handle h, UUID conversationId, List<Message> page) {
        if (page.isEmpty() && conversations.getIfPresent(conversationId) == null && h.createQuery("SELECT 1 FROM conversation_table WHERE conversation_id = :id")
                .bind("id", conversationId).mapTo(Integer.class).findOne().isEmpty()) {
            throw new IllegalArgumentException("no conversation " + conversationId);
        }
        return page;
    }

    /**
     * Moves the watermark and, in the same statement after it, the reader's list version. Only a
     * watermark that moves is written: reading a read conversation again costs no write.
     */
    static final String MARK_READ_SQL = "WITH moved AS (UPDATE participant_table p SET last_read_seq = c.last_seq"
            + " FROM conversation_table c WHERE c.conversation_id = p.conversation_id"
            + " AND p.conversation_id = :id AND p.user_id = :userId AND p.last_read_seq < c.last_seq"
            + " RETURNING p.last_read_seq), versions AS (" + ListVersions.ofUserWhen("moved") + ")"
            + " SELECT last_read_seq FROM moved";

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

    /**
     * The participant rows of a new conversation (the copy on its row is written by its insert), then,
     * as the create transaction's last statement, the participants' list versions.
     */
    private static void addParticipants(Handle h, Conversation conversation) {
        String[] participants = participants(conversation);
        h.createUpdate("INSERT INTO participant_table (user_id, conversation_id, join_order)"
                        + " SELECT t.user_id, :id, t.ord - 1 FROM unnest(:userIds) WITH ORDINALITY AS t(user_id, ord)")
                .bind("id", conversation.id())
                .bind("userIds", participants)
                .execute();
        ListVersions.incrementUsers(h, participants);
    }

    private static String[] participants(Conversation conversation) {
        return conversation.participantIds().toArray(new String[0]);
    }

    private static Conversation conversation(ResultSet rs) throws SQLException {
        String[] participants = (String[]) rs.getArray("participant_ids").getArray();
        return new Conversation(rs.getObject("conversation_id", UUID.class), rs.getString("title"),
                rs.getBoolean("is_group"), rs.getString("created_by"),
                rs.getObject("created_at", OffsetDateTime.class).toInstant(), Arrays.asList(participants));
    }

    /** Stops the append writer; appends still waiting fail with {@code StoreUnavailableException}. */
    @Override
    public void close() {
        appends.close();
    }
}
