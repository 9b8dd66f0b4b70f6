package io.pagenow.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Fills a migrated, empty schema with generated users, conversations and messages, set-based
 * (generate_series), for query plan checks and the query benchmark.
 *
 * <p>Shape: users {@code u00000..}; three quarters of the conversations are direct (distinct
 * pairs), the rest groups of up to four, each with one of the ten "heavy" users {@code u00000} to
 * {@code u00009}, who so take part in far more conversations than the rest. A fifth of the
 * messages go to the first 100 conversations (long histories to page through), the rest spread
 * evenly. Watermarks sit 0 to 3 messages behind the latest.
 */
record GeneratedData(int users, int conversations, int messages) {

    static final int HEAVY_USERS = 10;
    static final int LONG_CONVERSATIONS = 100;

    GeneratedData {
        if (users <= 2 * (conversations * 3 / 4 / users + 1) || users % 37 == 0) {
            throw new IllegalArgumentException("too few users for distinct direct pairs");
        }
        if (conversations <= LONG_CONVERSATIONS || messages < conversations) {
            throw new IllegalArgumentException("need more than " + LONG_CONVERSATIONS
                    + " conversations and at least one message each");
        }
    }

    int directConversations() {
        return conversations * 3 / 4;
    }

    static String userId(int n) {
        return String.format("u%05d", n);
    }

    /** The id of generated conversation {@code n} (0-based); 0 to 99 have the longest histories. */
    static String conversationIdSql(int n) {
        return "md5('conversation " + n + "')::uuid";
    }

    void insert(Connection c) throws SQLException {
        int u = users;
        int d = directConversations();
        int longMessages = messages / 5;
        String user = "'u' || lpad((%s)::text, 5, '0')";
        String[] sql = {
            "INSERT INTO user_table (user_id, email, first_name, last_name, share_mode)"
                + " SELECT " + String.format(user, "i") + ", 'u' || i || '@example.com', 'First' || i, 'Last' || i,"
                + " 'default_all' FROM generate_series(0, " + (u - 1) + ") i",
            "CREATE TEMPORARY TABLE generated_members ON COMMIT DROP AS"
                + " SELECT n, md5('conversation ' || n)::uuid AS id, members FROM ("
                + " SELECT k AS n, ARRAY[" + String.format(user, "k % " + u) + ", "
                + String.format(user, "(k % " + u + " + (k / " + u + " + 1) * 37) % " + u) + "] AS members"
                + " FROM generate_series(0, " + (d - 1) + ") k"
                + " UNION ALL"
                + " SELECT " + d + " + g, ARRAY(SELECT DISTINCT x FROM unnest(ARRAY["
                + String.format(user, "g % " + HEAVY_USERS) + ", "
                + String.format(user, "(g * 7 + 11) % " + u) + ", "
                + String.format(user, "(g * 13 + 29) % " + u) + ", "
                + String.format(user, "(g * 17 + 53) % " + u) + "]) x ORDER BY x)"
                + " FROM generate_series(0, " + (conversations - d - 1) + ") g) generated",
            "INSERT INTO conversation_table (conversation_id, created_by, created_at, title, is_group,"
                + " direct_user_a, direct_user_b, participant_ids)"
                + " SELECT id, members[1], timestamptz '2026-01-01 00:00:00Z', CASE WHEN n < " + d + " THEN ''"
                + " ELSE 'group ' || n END, n >= " + d + ","
                + " CASE WHEN n < " + d + " THEN least(members[1] COLLATE \"C\", members[2] COLLATE \"C\") END,"
                + " CASE WHEN n < " + d + " THEN greatest(members[1] COLLATE \"C\", members[2] COLLATE \"C\") END,"
                + " CAST(members AS varchar[])"
                + " FROM generated_members",
            "INSERT INTO participant_table (user_id, conversation_id, join_order)"
                + " SELECT m.user_id, g.id, m.ord - 1 FROM generated_members g,"
                + " unnest(g.members) WITH ORDINALITY AS m(user_id, ord)",
            "INSERT INTO message_table (message_id, conversation_id, seq, sender_id, content, sent_at, temp_message_id)"
                + " SELECT md5('message ' || x.i)::uuid, g.id, x.seq, g.members[1 + x.seq % cardinality(g.members)],"
                + " 'generated message ' || x.i || ', about as long as an ordinary chat line', "
                + " timestamptz '2026-01-01 00:00:00Z' + x.i * interval '100 milliseconds', 't' || x.i"
                + " FROM (SELECT i,"
                + " CASE WHEN i < " + longMessages + " THEN i % " + LONG_CONVERSATIONS
                + " ELSE " + LONG_CONVERSATIONS + " + (i - " + longMessages + ") % " + (conversations - LONG_CONVERSATIONS) + " END AS n,"
                + " CASE WHEN i < " + longMessages + " THEN i / " + LONG_CONVERSATIONS + " + 1"
                + " ELSE (i - " + longMessages + ") / " + (conversations - LONG_CONVERSATIONS) + " + 1 END AS seq"
                + " FROM generate_series(0, " + (messages - 1) + ") i) x"
                + " JOIN generated_members g ON g.n = x.n",
            "UPDATE conversation_table c SET last_seq = m.seq, latest_message_id = m.message_id,"
                + " latest_sender_id = m.sender_id, latest_content = m.content, latest_sent_at = m.sent_at,"
                + " latest_temp_message_id = m.temp_message_id"
                + " FROM (SELECT DISTINCT ON (conversation_id) * FROM message_table ORDER BY conversation_id, seq DESC) m"
                + " WHERE c.conversation_id = m.conversation_id",
            "UPDATE participant_table p SET last_read_seq = greatest(0, c.last_seq - (hashtext(p.user_id || c.conversation_id::text) & 3))"
                + " FROM conversation_table c WHERE c.conversation_id = p.conversation_id",
        };
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            s.execute("SET LOCAL statement_timeout = 0");
            for (String statement : sql) {
                s.execute(statement);
            }
            c.commit();
        } catch (SQLException e) {
            c.rollback();
            throw e;
        }
        c.setAutoCommit(true);
        try (Statement s = c.createStatement()) {
            for (String table : new String[] {"user_table", "conversation_table", "participant_table", "message_table"}) {
                s.execute("VACUUM ANALYZE " + table);
            }
        }
    }
}
