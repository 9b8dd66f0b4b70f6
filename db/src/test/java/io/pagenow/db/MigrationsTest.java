package io.pagenow.db;

import io.pagenow.db.testing.OriginalDatabase;
import io.pagenow.db.testing.OriginalDatabase.OriginalMessage;
import io.pagenow.db.testing.SchemaSnapshot;
import io.pagenow.db.testing.TestSchema;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

import static io.pagenow.db.testing.OriginalDatabase.AB1;
import static io.pagenow.db.testing.OriginalDatabase.AB2;
import static io.pagenow.db.testing.OriginalDatabase.AB3;
import static io.pagenow.db.testing.OriginalDatabase.AE;
import static io.pagenow.db.testing.OriginalDatabase.CD;
import static io.pagenow.db.testing.OriginalDatabase.GROUP;
import static io.pagenow.db.testing.OriginalDatabase.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MigrationsTest {

    private static final List<TestSchema> SCHEMAS = new ArrayList<>();

    @AfterAll
    static void dropSchemas() {
        SCHEMAS.forEach(TestSchema::close);
    }

    private static TestSchema schema(String label) {
        TestSchema schema = TestSchema.create(label);
        SCHEMAS.add(schema);
        return schema;
    }

    @Test
    void anEmptyDatabaseGetsEveryTableIncludingTheUserServiceOnes() throws SQLException {
        TestSchema schema = schema("empty");

        assertEquals(4, Migrations.apply(schema.dataSource()));

        try (Connection c = schema.connect()) {
            assertEquals(List.of("conversation_list_version", "conversation_table", "flyway_schema_history", "friendship_table", "message_table",
                    "participant_table", "user_table"), strings(c,
                    "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1"));
            assertEquals(List.of("original schema:true", "sequences watermarks direct pairs:true",
                            "edits deletes idempotency per conversation:true",
                            "participants on conversation list versions:true"),
                    strings(c, "SELECT description || ':' || success FROM flyway_schema_history ORDER BY installed_rank"));
            // The user tables this project creates accept what the user service writes.
            exec(c, "INSERT INTO user_table (user_id, email, first_name, last_name) VALUES ('u1', 'u1@x', 'U', 'One')");
            exec(c, "INSERT INTO user_table (user_id, email, first_name, last_name) VALUES ('u2', 'u2@x', 'U', 'Two')");
            exec(c, "INSERT INTO friendship_table (user_id1, user_id2, requested_at) VALUES ('u1', 'u2', now())");
            assertEquals(List.of("default_none {} {}"), strings(c,
                    "SELECT share_mode || ' ' || domain_allow_array::text || ' ' || domain_deny_array::text FROM user_table WHERE user_id = 'u1'"));
        }
    }

    @Test
    void emptyAndOriginalDatabasesEndInTheSameSchema() throws SQLException {
        TestSchema fromEmpty = schema("same_empty");
        TestSchema fromOriginal = schema("same_original");
        try (Connection c = fromOriginal.connect()) {
            OriginalDatabase.create(c);
        }

        Migrations.apply(fromEmpty.dataSource());
        Migrations.apply(fromOriginal.dataSource());

        try (Connection c = fromEmpty.connect()) {
            TreeSet<String> empty = withoutUserTables(SchemaSnapshot.structure(c, fromEmpty.name()));
            TreeSet<String> original = withoutUserTables(SchemaSnapshot.structure(c, fromOriginal.name()));
            assertEquals(empty, original);
            assertTrue(empty.contains("CREATE UNIQUE INDEX ON message_table USING btree (conversation_id, seq)"), empty::toString);
            assertTrue(empty.contains("CREATE UNIQUE INDEX ON message_table USING btree (conversation_id, sender_id, temp_message_id)"), empty::toString);
            assertTrue(empty.contains("CREATE UNIQUE INDEX ON conversation_table USING btree (direct_user_a, direct_user_b)"), empty::toString);
            assertTrue(empty.contains("CREATE INDEX ON participant_table USING btree (conversation_id, join_order, user_id)"), empty::toString);
            assertTrue(empty.contains("CREATE UNIQUE INDEX ON participant_table USING btree (user_id, conversation_id)"), empty::toString);
            assertTrue(empty.contains("message_table.content character varying(1000) not null"), empty::toString);
        }
    }

    @Test
    void anOriginalDatabaseKeepsEveryMessageParticipantAndReadState() throws SQLException {
        TestSchema schema = schema("original");
        TreeMap<String, List<String>> usersBefore;
        TreeSet<String> userStructureBefore;
        try (Connection c = schema.connect()) {
            OriginalDatabase.create(c);
            usersBefore = userRows(c, schema);
            userStructureBefore = userTables(SchemaSnapshot.structure(c, schema.name()));
        }

        assertEquals(4, Migrations.apply(schema.dataSource()));

        try (Connection c = schema.connect()) {
            // The duplicate direct conversations are merged into the oldest, which keeps the pair key.
            assertEquals(List.of(AB1 + " alice bob", GROUP + "  ", CD + " carol dave", AE + " alice erin"),
                    strings(c, "SELECT conversation_id || ' ' || coalesce(direct_user_a, '') || ' ' || coalesce(direct_user_b, '')"
                            + " FROM conversation_table ORDER BY conversation_id"));
            assertEquals(List.of(), strings(c, "SELECT conversation_id::text FROM conversation_table"
                    + " WHERE conversation_id IN ('" + AB2 + "', '" + AB3 + "')"));

            // Every message survived unchanged, numbered per conversation in sent_at then message_id order.
            Map<UUID, String> stored = new HashMap<>();
            Map<UUID, List<UUID>> order = new LinkedHashMap<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT message_id, conversation_id,"
                    + " sent_at, sender_id, content, seq, temp_message_id FROM message_table ORDER BY conversation_id, seq")) {
                while (rs.next()) {
                    UUID id = rs.getObject("message_id", UUID.class);
                    UUID conversation = rs.getObject("conversation_id", UUID.class);
                    stored.put(id, rs.getObject("sent_at", OffsetDateTime.class).toInstant() + " "
                            + rs.getString("sender_id") + " " + rs.getString("content"));
                    order.computeIfAbsent(conversation, k -> new ArrayList<>()).add(id);
                    assertEquals(order.get(conversation).size(), rs.getLong("seq"), "seqs are 1, 2, 3, ...");
                    assertNull(rs.getString("temp_message_id"));
                }
            }
            assertEquals(OriginalDatabase.MESSAGES.size(), stored.size());
            for (OriginalMessage m : OriginalDatabase.MESSAGES) {
                assertEquals(m.sentAt() + " " + m.senderId() + " " + m.content(), stored.get(m.id()));
            }
            OriginalDatabase.MIGRATED_ORDER.forEach((conversation, ids) -> {
                if (!ids.isEmpty()) {
                    assertEquals(ids, order.get(conversation), "message order of " + conversation);
                }
            });
            assertEquals(List.of(AB1 + " 6", GROUP + " 4", CD + " 0", AE + " 1"), strings(c,
                    "SELECT conversation_id || ' ' || last_seq FROM conversation_table ORDER BY conversation_id"));
            // Each conversation carries a copy of its latest message.
            assertEquals(List.of(), strings(c, "SELECT c.conversation_id::text FROM conversation_table c"
                    + " LEFT JOIN message_table m ON m.conversation_id = c.conversation_id AND m.seq = c.last_seq"
                    + " WHERE c.latest_message_id IS DISTINCT FROM m.message_id"
                    + " OR c.latest_sender_id IS DISTINCT FROM m.sender_id OR c.latest_content IS DISTINCT FROM m.content"
                    + " OR c.latest_sent_at IS DISTINCT FROM m.sent_at OR c.latest_temp_message_id IS NOT NULL"));
            assertEquals(List.of(OriginalDatabase.M6.toString()), strings(c,
                    "SELECT latest_message_id::text FROM conversation_table WHERE conversation_id = '" + AB1 + "'"));

            // Participants (the creator first) and their read watermarks.
            for (UUID conversation : List.of(AB1, GROUP, AE, CD)) {
                List<String> participants = new ArrayList<>();
                Map<String, Long> watermarks = new HashMap<>();
                try (PreparedStatement p = c.prepareStatement("SELECT user_id, last_read_seq FROM participant_table"
                        + " WHERE conversation_id = ? ORDER BY join_order")) {
                    p.setObject(1, conversation);
                    try (ResultSet rs = p.executeQuery()) {
                        while (rs.next()) {
                            participants.add(rs.getString(1));
                            watermarks.put(rs.getString(1), rs.getLong(2));
                        }
                    }
                }
                assertEquals(OriginalDatabase.MIGRATED_PARTICIPANTS.get(conversation), participants, "participants of " + conversation);
                assertEquals(OriginalDatabase.MIGRATED_WATERMARKS.get(conversation), watermarks, "watermarks of " + conversation);
            }
            assertEquals(10, count(c, "SELECT count(*) FROM participant_table"));

            // NULLs of the original data get their meaning; created_at was UTC and stays the same instant.
            assertEquals(List.of("false  " + T0.plusSeconds(200)), strings(c, "SELECT is_group || ' ' || title || ' '"
                    + " || to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
                    + " FROM conversation_table WHERE conversation_id = '" + AE + "'"));
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                    "SELECT created_at FROM conversation_table WHERE conversation_id = '" + AB1 + "'")) {
                rs.next();
                assertEquals(T0, rs.getObject(1, OffsetDateTime.class).toInstant());
            }

            // The per-message read rows and the original's secondary indexes are gone.
            assertEquals(0, count(c, "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()"
                    + " AND tablename = 'message_is_read_table'"));
            assertEquals(List.of(), strings(c, "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()"
                    + " AND tablename IN ('message_table', 'participant_table')"
                    + " AND (indexdef LIKE '%(user_id)' OR indexdef LIKE '%content%')"));

            // The user service's tables are untouched: same rows, same columns, no index added.
            assertEquals(usersBefore, userRows(c, schema));
            assertEquals(userStructureBefore, userTables(SchemaSnapshot.structure(c, schema.name())));

            // The new constraints hold on the migrated data.
            assertThrows(SQLException.class, () -> exec(c, "INSERT INTO conversation_table"
                    + " (conversation_id, created_by, is_group, direct_user_a, direct_user_b)"
                    + " VALUES (gen_random_uuid(), 'bob', false, 'alice', 'bob')"));
        }
    }

    @Test
    void aUsersOwnMessageMovesTheirWatermarkAsALiveSendDoes() throws SQLException {
        TestSchema schema = schema("own_message");
        try (Connection c = schema.connect()) {
            OriginalDatabase.create(c);
            // carol-dave: c1 from carol that dave never read, then dave's own c2 (his newest when
            // he stops), then carol's c3, which dave read and carol's own; carol has no row for c2.
            exec(c, "INSERT INTO message_table (message_id, conversation_id, sent_at, sender_id, content) VALUES"
                    + " ('00000000-0000-0000-0000-000000000401', '" + CD + "', '2026-01-05T11:00:00Z', 'carol', 'c1'),"
                    + " ('00000000-0000-0000-0000-000000000402', '" + CD + "', '2026-01-05T11:01:00Z', 'dave', 'c2'),"
                    + " ('00000000-0000-0000-0000-000000000403', '" + CD + "', '2026-01-05T11:02:00Z', 'carol', 'c3')");
            exec(c, "INSERT INTO message_is_read_table (message_id, user_id, is_read) VALUES"
                    + " ('00000000-0000-0000-0000-000000000401', 'carol', true),"
                    + " ('00000000-0000-0000-0000-000000000401', 'dave', false),"
                    + " ('00000000-0000-0000-0000-000000000402', 'dave', true),"
                    + " ('00000000-0000-0000-0000-000000000403', 'carol', true),"
                    + " ('00000000-0000-0000-0000-000000000403', 'dave', true)");
            // alice-erin: alice never read erin's e1, then answered: her own message is the newest.
            exec(c, "INSERT INTO message_table (message_id, conversation_id, sent_at, sender_id, content) VALUES"
                    + " ('00000000-0000-0000-0000-000000000302', '" + AE + "', '2026-01-05T11:00:00Z', 'alice', 'e2')");
            exec(c, "UPDATE message_is_read_table SET is_read = false"
                    + " WHERE message_id = '" + OriginalDatabase.E1 + "' AND user_id = 'alice'");
        }

        Migrations.apply(schema.dataSource());

        try (Connection c = schema.connect()) {
            // Live: dave's send of c2 moved his watermark to 2; carol's send of c3 to 3. dave's read
            // row of c3 beside his unread c1 is what no reading in the original could leave (a read
            // marked every message of the conversation), and the read rows are gone once V2 has
            // run, so V3 (which must not change V2 under databases already past it) takes him to
            // his own latest message, 2, erring towards unread for c3.
            assertEquals(List.of("carol 3", "dave 2"), strings(c, "SELECT user_id || ' ' || last_read_seq"
                    + " FROM participant_table WHERE conversation_id = '" + CD + "' ORDER BY user_id"));
            // unreadCount 0 for alice: the newest message is her own.
            assertEquals(List.of("alice 2", "erin 1"), strings(c, "SELECT user_id || ' ' || last_read_seq"
                    + " FROM participant_table WHERE conversation_id = '" + AE + "' ORDER BY user_id"));
        }
    }

    @Test
    void aDatabaseOfThePreviousVersionIsUpgradedInPlace() throws SQLException {
        TestSchema schema = schema("previous");
        try (Connection c = schema.connect()) {
            OriginalDatabase.create(c);
        }
        Flyway.configure(Migrations.class.getClassLoader()).dataSource(schema.dataSource())
                .locations("classpath:db/migration").baselineOnMigrate(true).baselineVersion("0")
                .target("2").load().migrate();
        try (Connection c = schema.connect()) {
            // A message sent through version 2, with its temporary id.
            exec(c, "INSERT INTO message_table (message_id, conversation_id, seq, sender_id, content, sent_at,"
                    + " temp_message_id) VALUES ('00000000-0000-0000-0000-000000000501', '" + AB1 + "', 7, 'bob',"
                    + " 'sent on v2', '2026-01-06T10:00:00Z', 'b1')");
        }

        assertEquals(2, Migrations.apply(schema.dataSource()));

        try (Connection c = schema.connect()) {
            assertEquals(List.of("sent on v2 b1 null null"), strings(c, "SELECT content || ' ' || temp_message_id"
                    + " || ' ' || coalesce(edited_at::text, 'null') || ' ' || coalesce(deleted_at::text, 'null')"
                    + " FROM message_table WHERE message_id = '00000000-0000-0000-0000-000000000501'"));
            // The same temporary id in another conversation is now another message...
            exec(c, "INSERT INTO message_table (message_id, conversation_id, seq, sender_id, content, sent_at,"
                    + " temp_message_id) VALUES (gen_random_uuid(), '" + GROUP + "', 5, 'bob', 'elsewhere', now(), 'b1')");
            // ...and in the same conversation still refused.
            assertThrows(SQLException.class, () -> exec(c, "INSERT INTO message_table (message_id, conversation_id,"
                    + " seq, sender_id, content, sent_at, temp_message_id) VALUES (gen_random_uuid(), '" + AB1 + "', 8,"
                    + " 'bob', 'again', now(), 'b1')"));
            // A tombstone has no content.
            assertThrows(SQLException.class, () -> exec(c, "UPDATE message_table SET deleted_at = now()"
                    + " WHERE message_id = '00000000-0000-0000-0000-000000000501'"));
        }
    }

    @Test
    void aDatabaseOfVersionThreeGetsEachConversationsParticipantsInTheirOrder() throws SQLException {
        TestSchema schema = schema("version3");
        try (Connection c = schema.connect()) {
            OriginalDatabase.create(c);
        }
        Flyway.configure(Migrations.class.getClassLoader()).dataSource(schema.dataSource())
                .locations("classpath:db/migration").baselineOnMigrate(true).baselineVersion("0")
                .target("3").load().migrate();
        try (Connection c = schema.connect()) {
            // A group created through version 3 whose participants were given out of id order.
            exec(c, "INSERT INTO conversation_table (conversation_id, created_by, title, is_group)"
                    + " VALUES ('00000000-0000-0000-0000-000000000601', 'zoe', 'Late', true)");
            exec(c, "INSERT INTO participant_table (user_id, conversation_id, join_order) VALUES"
                    + " ('zoe', '00000000-0000-0000-0000-000000000601', 0),"
                    + " ('bob', '00000000-0000-0000-0000-000000000601', 2),"
                    + " ('mia', '00000000-0000-0000-0000-000000000601', 1)");
        }

        assertEquals(1, Migrations.apply(schema.dataSource()));

        try (Connection c = schema.connect()) {
            assertEquals(List.of("{zoe,mia,bob}"), strings(c, "SELECT participant_ids::text FROM conversation_table"
                    + " WHERE conversation_id = '00000000-0000-0000-0000-000000000601'"));
            assertEquals(List.of(), strings(c, "SELECT c.conversation_id::text FROM conversation_table c"
                    + " WHERE c.participant_ids IS DISTINCT FROM ARRAY(SELECT p.user_id FROM participant_table p"
                    + " WHERE p.conversation_id = c.conversation_id ORDER BY p.join_order, p.user_id)"),
                    "every conversation carries exactly its participant rows, in their order");
            assertEquals(List.of(), strings(c, "SELECT user_id FROM conversation_list_version"),
                    "no version row until a change: a missing row is version 0");
            assertThrows(SQLException.class, () -> exec(c, "INSERT INTO conversation_table (conversation_id,"
                    + " created_by, title, is_group) VALUES (gen_random_uuid(), 'zoe', 'No participants', true)"),
                    "a conversation is created with its participants");
        }
    }

    @Test
    void migratingTwiceChangesNothing() throws SQLException {
        TestSchema schema = schema("twice");
        try (Connection c = schema.connect()) {
            OriginalDatabase.create(c);
        }
        assertEquals(4, Migrations.apply(schema.dataSource()));
        TreeSet<String> structure;
        TreeMap<String, List<String>> rows;
        try (Connection c = schema.connect()) {
            structure = SchemaSnapshot.structure(c, schema.name());
            rows = SchemaSnapshot.rows(c, schema.name());
        }

        assertEquals(0, Migrations.apply(schema.jdbcUrl(), schema.user(), schema.password()));

        try (Connection c = schema.connect()) {
            assertEquals(structure, SchemaSnapshot.structure(c, schema.name()));
            assertEquals(rows, SchemaSnapshot.rows(c, schema.name()));
        }
    }

    @Test
    void aFailedMigrationLeavesTheOriginalDatabaseAsItWas() throws SQLException {
        TestSchema schema = schema("rollback");
        TreeMap<String, List<String>> before;
        try (Connection c = schema.connect()) {
            OriginalDatabase.create(c);
            // A message without a conversation cannot get a sequence number: V2 must refuse it.
            exec(c, "INSERT INTO message_table (message_id, sent_at, sender_id, content)"
                    + " VALUES (gen_random_uuid(), now(), 'alice', 'orphan')");
            before = SchemaSnapshot.rows(c, schema.name());
        }

        IllegalStateException failure = assertThrows(IllegalStateException.class,
                () -> Migrations.apply(schema.dataSource()));

        assertTrue(failure.getMessage().contains("conversation_id"), failure.getMessage());
        try (Connection c = schema.connect()) {
            TreeMap<String, List<String>> after = SchemaSnapshot.rows(c, schema.name());
            after.remove("flyway_schema_history");
            assertEquals(before, after);
            assertFalse(strings(c, "SELECT column_name::text FROM information_schema.columns"
                    + " WHERE table_schema = current_schema() AND table_name = 'message_table'").contains("seq"));
        }
    }

    @Test
    void anUnreachableDatabaseFailsWithoutHanging() {
        IllegalStateException failure = assertThrows(IllegalStateException.class,
                () -> Migrations.apply("jdbc:postgresql://127.0.0.1:1/none", "postgres", ""));
        assertTrue(failure.getMessage().startsWith("database migration failed"), failure.getMessage());
    }

    private static TreeSet<String> withoutUserTables(TreeSet<String> structure) {
        TreeSet<String> chat = new TreeSet<>(structure);
        chat.removeAll(userTables(structure));
        return chat;
    }

    private static TreeSet<String> userTables(TreeSet<String> structure) {
        TreeSet<String> users = new TreeSet<>();
        for (String line : structure) {
            if (line.contains("user_table") || line.contains("friendship_table")) {
                users.add(line);
            }
        }
        return users;
    }

    private static TreeMap<String, List<String>> userRows(Connection c, TestSchema schema) throws SQLException {
        TreeMap<String, List<String>> rows = SchemaSnapshot.rows(c, schema.name());
        rows.keySet().retainAll(List.of("user_table", "friendship_table"));
        return rows;
    }

    private static List<String> strings(Connection c, String sql) throws SQLException {
        List<String> result = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                result.add(rs.getString(1));
            }
        }
        return result;
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void exec(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
