package io.pagenow.bench;

import java.util.List;
import java.util.UUID;

/**
 * Loads the REST scenario's history straight into PostgreSQL (the schema of the {@code db}
 * module's migrations), where sending a million messages through the protocol would take longer
 * than the whole benchmark. The embedded server has no such door: its history goes over the wire.
 * Rows are what the server would have stored: per-conversation sequence numbers without gaps,
 * {@code last_seq} and the copy of the latest message on the conversation, each sender's read
 * watermark at its latest message, direct pairs keyed in byte order, creators first, each
 * conversation's participants also on its own row where the schema has that column (V4 on).
 */
final class RestDataset {

    private RestDataset() {
    }

    /** @return false when the target has no database to load into (the caller then uses the wire) */
    static boolean insert(RestHistory history, Target target, String[] conversationIds) {
        if (target.pg() == null) {
            return false;
        }
        List<List<String>> conversations = history.plan().conversations();
        int count = conversations.size();
        StringBuilder sql = new StringBuilder(count * 200);
        sql.append("SET synchronous_commit = off;\n");
        sql.append("CREATE TEMPORARY TABLE bench_plan (c int PRIMARY KEY, conversation_id uuid NOT NULL, members text[] NOT NULL);\n");
        sql.append("COPY bench_plan (c, conversation_id, members) FROM STDIN;\n");
        for (int c = 0; c < count; c++) {
            conversationIds[c] = UUID.nameUUIDFromBytes((target.tag() + "/" + c).getBytes()).toString();
            sql.append(c).append('\t').append(conversationIds[c]).append("\t{")
                    .append(String.join(",", conversations.get(c))).append("}\n");
        }
        sql.append("\\.\n");
        // The participants' copy on the conversation's row only where the schema has it: the jar
        // under test migrated this database, and a base jar from before V4 (bench/run --base) did not add it.
        boolean participantIds = hasParticipantIds(target.pg());
        sql.append("""
                INSERT INTO conversation_table (conversation_id, created_by, created_at, title, is_group, last_seq,
                                                direct_user_a, direct_user_b%s)
                SELECT conversation_id, members[1], timestamptz '2026-01-01 00:00:00+00',
                       CASE WHEN cardinality(members) > 2 THEN 'rest group ' || c ELSE '' END,
                       cardinality(members) > 2, 0,
                       CASE WHEN cardinality(members) = 2 THEN least(members[1] COLLATE "C", members[2] COLLATE "C") END,
                       CASE WHEN cardinality(members) = 2 THEN greatest(members[1] COLLATE "C", members[2] COLLATE "C") END%s
                FROM bench_plan;
                INSERT INTO participant_table (user_id, conversation_id, last_read_seq, join_order)
                SELECT m.user_id, p.conversation_id, 0, m.ord - 1
                FROM bench_plan p, unnest(p.members) WITH ORDINALITY AS m(user_id, ord);
                """.formatted(participantIds ? ", participant_ids" : "", participantIds ? ",\n       members" : ""));
        // Message j: conversation j % C, its (j / C + 1)-th message, sent by its members in turn
        // (ConversationPlan.conversationOf / senderOf), content starting "#j ".
        sql.append("INSERT INTO message_table (message_id, conversation_id, seq, sender_id, content, sent_at, temp_message_id)\n")
                .append("SELECT gen_random_uuid(), p.conversation_id, j / ").append(count).append(" + 1,\n")
                .append("       p.members[(j / ").append(count).append(") % cardinality(p.members) + 1],\n")
                .append("       '#' || j || '").append(ConversationPlan.PAD).append("',\n")
                .append("       timestamptz '2026-01-01 00:00:00+00' + j * interval '1 millisecond', NULL\n")
                .append("FROM generate_series(0, ").append(history.messages() - 1L).append(") AS j\n")
                .append("JOIN bench_plan p ON p.c = j % ").append(count).append(";\n");
        sql.append("""
                UPDATE conversation_table c
                SET last_seq = latest.seq, latest_message_id = latest.message_id, latest_sender_id = latest.sender_id,
                    latest_content = latest.content, latest_sent_at = latest.sent_at,
                    latest_temp_message_id = latest.temp_message_id
                FROM (SELECT DISTINCT ON (conversation_id) conversation_id, seq, message_id, sender_id, content, sent_at,
                             temp_message_id
                      FROM message_table ORDER BY conversation_id, seq DESC) latest
                WHERE c.conversation_id = latest.conversation_id;
                -- A sender has read its own messages: its watermark is at its latest one.
                UPDATE participant_table p SET last_read_seq = sent.seq
                FROM (SELECT conversation_id, sender_id, max(seq) AS seq FROM message_table GROUP BY 1, 2) sent
                WHERE p.conversation_id = sent.conversation_id AND p.user_id = sent.sender_id;
                ANALYZE conversation_table;
                ANALYZE participant_table;
                ANALYZE message_table;
                """);
        target.pg().sql(sql.toString());
        return true;
    }

    /** Whether {@code conversation_table} has {@code participant_ids} (migration V4 added it). */
    static boolean hasParticipantIds(Psql pg) {
        return pg.sql("SELECT EXISTS (SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() "
                + "AND table_name = 'conversation_table' AND column_name = 'participant_ids');").equals("t");
    }
}
