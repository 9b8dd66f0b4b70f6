package io.pagenow.postgres;

import io.pagenow.core.chat.Message;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static io.pagenow.postgres.MessageRows.MESSAGE_COLUMNS;
import static io.pagenow.postgres.MessageRows.utc;

/**
 * The statements on {@code message_table} the conversation store runs, on a handle it opens:
 * one message by id, pages on the {@code (conversation_id, seq)} index, and edits and deletions in
 * place (a deletion leaves a tombstone). Appends are {@link PostgresAppends}'s.
 */
final class MessageTable {

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

    private static final RowMapper<Message> MESSAGE = (rs, ctx) -> MessageRows.message(rs);

    private MessageTable() {
    }

    static Optional<Message> find(Handle h, UUID messageId) {
        return h.createQuery("SELECT " + MESSAGE_COLUMNS + " FROM message_table m WHERE m.message_id = :id")
                .bind("id", messageId)
                .map(MESSAGE)
                .findOne();
    }

    static List<Message> newest(Handle h, UUID conversationId, int offset, int limit) {
        return h.createQuery(NEWEST_SQL)
                .bind("id", conversationId)
                .bind("offset", (long) offset)
                .bind("limit", limit)
                .map(MESSAGE)
                .list();
    }

    static List<Message> before(Handle h, UUID conversationId, long seq, int limit) {
        return page(h, BEFORE_SQL, conversationId, seq, limit);
    }

    static List<Message> after(Handle h, UUID conversationId, long seq, int limit) {
        return page(h, AFTER_SQL, conversationId, seq, limit);
    }

    /** A keyset page: the {@code limit} messages on one side of {@code seq}. */
    private static List<Message> page(Handle h, String sql, UUID conversationId, long seq, int limit) {
        return h.createQuery(sql)
                .bind("id", conversationId)
                .bind("seq", seq)
                .bind("limit", limit)
                .map(MESSAGE)
                .list();
    }

    /** The edited message; empty when there is none or it is deleted. */
    static Optional<Message> edit(Handle h, UUID messageId, String content, Instant editedAt) {
        return change(h, messageId, content, editedAt, null);
    }

    /** The tombstone; empty when there is no message or it is deleted already. */
    static Optional<Message> delete(Handle h, UUID messageId, Instant deletedAt) {
        return change(h, messageId, "", null, deletedAt);
    }

    private static Optional<Message> change(Handle h, UUID messageId, String content, Instant editedAt,
                                            Instant deletedAt) {
        return h.createQuery(CHANGE_SQL)
                .bind("id", messageId)
                .bind("content", content)
                .bind("editedAt", editedAt == null ? null : utc(editedAt))
                .bind("deletedAt", deletedAt == null ? null : utc(deletedAt))
                .map(MESSAGE)
                .findOne();
    }
}
