package io.pagenow.postgres;

import io.pagenow.core.chat.Appended;
import io.pagenow.core.chat.Message;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import static io.pagenow.postgres.MessageRows.MESSAGE_COLUMNS;

/**
 * Stores a batch of appends (candidate messages: a fresh id, seq 0) in one transaction of two
 * round trips: one execution of {@link #FORCE_CUSTOM_PLAN_SQL}, {@link #LOCK_SQL}, {@link #APPEND_SQL}
 * and the list versions' increment, sent together, then the commit. Whatever the batch's size, the
 * statements are the same text, planned for each batch's own arrays; the batch goes in as arrays,
 * one per column, and what each append got
 * comes back from the same statement (no read-back). Plain JDBC: on the append path Jdbi's
 * handle and statement machinery per batch cost more than the SQL it runs.
 *
 * <p>Per append: lock the conversation row (the locks of a batch are taken in one statement, in
 * conversation id order, the same on every node, so batches cannot deadlock); store the message as
 * the conversation's next seq unless its (conversation, sender, tempMessageId) is stored already
 * or comes earlier in the batch; move the conversation's counter and its copy of the latest
 * message, and the sender's read watermark. A retry so stores nothing and is answered with the
 * stored message; an append to an unknown conversation fails alone.
 *
 * <p>A record: the writer is nothing but the pool it takes a connection from for each batch and
 * the failure classification the batch runs under.
 */
record PostgresAppends(DataSource dataSource, PostgresFailures failures) implements GroupCommit.Writer<Message, Appended> {

    /** Appends stored by one transaction at most. */
    static final int MAX_BATCH = 128;

    /**
     * The batch's conversation rows, locked in id order until commit: it serialises the senders of
     * a conversation. A statement of its own, so that {@link #APPEND_SQL}, which starts after the
     * locks are held, sees everything committed by the batches it waited for.
     */
    static final String LOCK_SQL = "SELECT conversation_id FROM conversation_table"
            + " WHERE conversation_id = ANY (CAST(? AS uuid[])) ORDER BY conversation_id FOR UPDATE";

    /**
     * The batch, one row per append in arrival order ({@code ord}): {@code input} reads each
     * conversation's counter (null: no such conversation) and whether the append is a retry of a
     * stored one, each by one index probe (sub-selects, so no cached plan can turn them into a
     * scan); {@code numbered} keeps the first of each new (conversation, sender, tempMessageId)
     * and numbers them counter + 1, 2, ... per conversation in arrival order; the rest writes them,
     * the conversations' counters and latest copies (to their newest), and each sender's watermark
     * (to their newest). Answers, per append in order: whether the conversation exists, the stored
     * message of this batch with its key (its own or an earlier identical send's) as
     * {@code fresh_id} and {@code fresh_seq}, or else the one stored before, in full.
     */
    static final String APPEND_SQL = "WITH input AS ("
            + " SELECT i.ord, i.message_id, i.conversation_id, i.sender_id, i.content, i.sent_at, i.temp_message_id,"
            + " (SELECT c.last_seq FROM conversation_table c WHERE c.conversation_id = i.conversation_id) AS last_seq,"
            + " EXISTS (SELECT 1 FROM message_table m WHERE m.conversation_id = i.conversation_id"
            + " AND m.sender_id = i.sender_id AND m.temp_message_id = i.temp_message_id) AS earlier"
            + " FROM unnest(CAST(? AS uuid[]), CAST(? AS uuid[]), CAST(? AS varchar[]), CAST(? AS varchar[]),"
            + " CAST(? AS timestamptz[]), CAST(? AS varchar[]))"
            + " WITH ORDINALITY AS i(message_id, conversation_id, sender_id, content, sent_at, temp_message_id, ord)),"
            + " numbered AS ("
            + " SELECT f.*, f.last_seq + row_number() OVER (PARTITION BY f.conversation_id ORDER BY f.ord) AS seq"
            + " FROM (SELECT DISTINCT ON (conversation_id, sender_id, temp_message_id) * FROM input"
            + " WHERE last_seq IS NOT NULL AND NOT earlier ORDER BY conversation_id, sender_id, temp_message_id, ord) f),"
            + " stored AS ("
            + " INSERT INTO message_table (message_id, conversation_id, seq, sender_id, content, sent_at, temp_message_id)"
            + " SELECT message_id, conversation_id, seq, sender_id, content, sent_at, temp_message_id FROM numbered),"
            + " latest AS (SELECT DISTINCT ON (conversation_id) * FROM numbered ORDER BY conversation_id, seq DESC),"
            + " counted AS ("
            + " UPDATE conversation_table c SET last_seq = l.seq, latest_message_id = l.message_id,"
            + " latest_sender_id = l.sender_id, latest_content = l.content, latest_sent_at = l.sent_at,"
            + " latest_temp_message_id = l.temp_message_id, latest_edited_at = NULL, latest_deleted_at = NULL"
            + " FROM latest l WHERE c.conversation_id = l.conversation_id"
            + " AND c.conversation_id = ANY (ARRAY(SELECT conversation_id FROM latest))),"
            + " watermark AS ("
            + " UPDATE participant_table p SET last_read_seq = greatest(p.last_read_seq, w.seq)"
            + " FROM (SELECT conversation_id, sender_id, max(seq) AS seq FROM numbered"
            + " GROUP BY conversation_id, sender_id) w"
            + " WHERE p.conversation_id = w.conversation_id AND p.user_id = w.sender_id"
            + " AND p.conversation_id = ANY (ARRAY(SELECT conversation_id FROM latest))"
            + " AND p.user_id = ANY (ARRAY(SELECT sender_id FROM numbered)))"
            + " SELECT i.ord, i.last_seq IS NOT NULL AS known, n.message_id AS fresh_id, n.seq AS fresh_seq, e.*"
            + " FROM input i"
            + " LEFT JOIN numbered n ON n.conversation_id = i.conversation_id AND n.sender_id = i.sender_id"
            + " AND n.temp_message_id = i.temp_message_id"
            + " LEFT JOIN LATERAL (SELECT " + MESSAGE_COLUMNS + " FROM message_table m WHERE i.earlier"
            + " AND m.conversation_id = i.conversation_id AND m.sender_id = i.sender_id"
            + " AND m.temp_message_id = i.temp_message_id LIMIT 1) e ON true"
            + " ORDER BY i.ord";

    /**
     * Plans the batch's statements for its own arrays, for this transaction only. Once a pooled
     * connection has run them a few times PostgreSQL switches to a generic plan, which for
     * {@link #APPEND_SQL} halved the appends per second (measured with {@code AppendThroughput},
     * 32 threads, 64 conversations, idle machine: 1,328/s generic, 2,900/s custom, the old
     * per-append statements 2,892/s); planning each batch costs less than that plan.
     */
    static final String FORCE_CUSTOM_PLAN_SQL = "SET LOCAL plan_cache_mode = force_custom_plan";

    /**
     * The four in one execution: the driver sends them together and waits once. The last
     * increments the list versions of every participant of the batch's conversations
     * ({@link ListVersions}, which says why it comes last); a retry or an unknown conversation
     * increments needlessly or not at all: a kept list read again, nothing wrong.
     */
    private static final String LOCK_APPEND_AND_VERSION_SQL = FORCE_CUSTOM_PLAN_SQL + ";\n" + LOCK_SQL + ";\n"
            + APPEND_SQL + ";\n" + ListVersions.OF_PARTICIPANTS_JDBC_SQL;

    @Override
    public List<GroupCommit.Outcome<Appended>> write(List<Message> batch) {
        return failures.guardSql(() -> {
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(false);
                try {
                    List<GroupCommit.Outcome<Appended>> outcomes = store(c, batch);
                    c.commit();
                    return outcomes;
                } catch (SQLException | RuntimeException e) {
                    rollback(c, e);
                    throw e;
                }
            }
        });
    }

    private static List<GroupCommit.Outcome<Appended>> store(Connection c, List<Message> batch) throws SQLException {
        int n = batch.size();
        String[] messageIds = new String[n];
        String[] conversationIds = new String[n];
        String[] senderIds = new String[n];
        String[] contents = new String[n];
        String[] sentAts = new String[n];
        String[] tempMessageIds = new String[n];
        for (int i = 0; i < n; i++) {
            Message m = batch.get(i);
            messageIds[i] = m.id().toString();
            conversationIds[i] = m.conversationId().toString();
            senderIds[i] = m.senderId();
            contents[i] = m.content();
            // ISO-8601 with its offset (Z): read as the same instant whatever the session's zone.
            sentAts[i] = m.sentAt().toString();
            tempMessageIds[i] = m.tempMessageId();
        }
        List<GroupCommit.Outcome<Appended>> outcomes = new ArrayList<>(n);
        try (PreparedStatement statement = c.prepareStatement(LOCK_APPEND_AND_VERSION_SQL)) {
            int p = 1;
            for (String[] column : Arrays.asList(conversationIds, messageIds, conversationIds, senderIds, contents,
                    sentAts, tempMessageIds, conversationIds)) {
                statement.setArray(p++, c.createArrayOf("text", column));
            }
            statement.execute(); // the SET's update count
            statement.getMoreResults(); // the lock's rows
            if (!statement.getMoreResults()) {
                throw new IllegalStateException("the append statement answered no rows");
            }
            try (ResultSet rs = statement.getResultSet()) {
                while (rs.next()) {
                    outcomes.add(outcome(rs, batch));
                }
            }
        }
        if (outcomes.size() != n) {
            throw new IllegalStateException("expected " + n + " append results, got " + outcomes.size());
        }
        return outcomes;
    }

    private static GroupCommit.Outcome<Appended> outcome(ResultSet rs, List<Message> batch) throws SQLException {
        Message candidate = batch.get(rs.getInt("ord") - 1);
        if (!rs.getBoolean("known")) {
            return GroupCommit.Outcome.failed(new IllegalArgumentException("no conversation " + candidate.conversationId()));
        }
        if (rs.getObject("message_id") != null) {
            // Stored before this batch: a retry, also one that raced the first send.
            return GroupCommit.Outcome.of(new Appended(MessageRows.message(rs), false));
        }
        UUID freshId = rs.getObject("fresh_id", UUID.class);
        if (freshId == null) {
            return GroupCommit.Outcome.failed(new IllegalStateException("a conflicting send is not visible"));
        }
        long seq = rs.getLong("fresh_seq");
        if (freshId.equals(candidate.id())) {
            return GroupCommit.Outcome.of(new Appended(withSeq(candidate, seq), true));
        }
        // The same send earlier in this batch: answered with that one's message.
        Message first = batch.stream().filter(m -> m.id().equals(freshId)).findFirst()
                .orElseThrow(() -> new IllegalStateException("a stored append is not in its batch"));
        return GroupCommit.Outcome.of(new Appended(withSeq(first, seq), false));
    }

    private static Message withSeq(Message m, long seq) {
        return new Message(m.id(), m.conversationId(), seq, m.senderId(), m.content(), m.sentAt(), m.tempMessageId(),
                null, null);
    }

    private static void rollback(Connection c, Exception failure) {
        try {
            c.rollback();
        } catch (SQLException e) {
            // The connection is likely broken; the pool drops it. The first failure is the one to report.
            failure.addSuppressed(e);
        }
    }
}
