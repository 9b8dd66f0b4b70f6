package io.pagenow.bench;

import io.pagenow.db.Migrations;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The REST history loaded with SQL must fit the real schema (its keys and checks) and hold what
 * the scenario expects to read back. Runs against the real PostgreSQL on loopback, in a database
 * of its own; fails, never skips, when PostgreSQL is not there.
 */
class RestDatasetTest {

    private static final Map<String, String> ENV = System.getenv();
    private static final Psql PG = new Psql(ENV.getOrDefault("PGHOST", "127.0.0.1"),
            Integer.parseInt(ENV.getOrDefault("PGPORT", "5432")), ENV.getOrDefault("PGUSER", "postgres"),
            ENV.getOrDefault("PGPASSWORD", ""), "pagenow_bench_test_" + ProcessHandle.current().pid());
    private static final Profile PROFILE = Profile.named("ci");
    private static final RestHistory HISTORY = new RestHistory(PROFILE);
    private static final String[] IDS = new String[HISTORY.plan().conversations().size()];

    @BeforeAll
    static void loadIntoAMigratedDatabase() {
        PG.recreateDatabase();
        Migrations.apply(PG.jdbcUrl(), PG.user(), PG.password());
        PG.sql(HISTORY.population().sql());

        assertTrue(RestDataset.insert(HISTORY, new Target(null, PROFILE, BenchRun.POSTGRES_REDIS, PG, "t1", StoreProcesses.NONE), IDS));
    }

    @AfterAll
    static void dropTheDatabase() {
        PG.dropDatabase();
    }

    @Test
    void everyMessageIsStoredWithGaplessSequenceNumbersAndTheLatestCopied() {
        assertEquals(String.valueOf(PROFILE.restMessages()), PG.sql("SELECT count(*) FROM message_table;"));
        for (int c = 0; c < IDS.length; c++) {
            String row = PG.sql("SELECT last_seq || '|' || (SELECT count(*) FROM message_table m WHERE m.conversation_id = c.conversation_id)"
                    + " || '|' || (SELECT max(seq) FROM message_table m WHERE m.conversation_id = c.conversation_id)"
                    + " || '|' || split_part(latest_content, ' ', 1) FROM conversation_table c WHERE conversation_id = '" + IDS[c] + "';");
            int n = HISTORY.messagesIn(c);
            long lastJ = c + (long) (n - 1) * IDS.length;
            assertEquals(n + "|" + n + "|" + n + "|#" + lastJ, row, "conversation " + c);
        }
    }

    @Test
    void eachUserIsInTheConversationsTheScenarioExpectsToList() {
        Map<String, Integer> listed = new HashMap<>();
        for (String line : PG.sql("SELECT user_id || ' ' || count(*) FROM participant_table GROUP BY user_id;").split("\n")) {
            String[] parts = line.split(" ");
            listed.put(parts[0], Integer.parseInt(parts[1]));
        }
        for (String user : HISTORY.population().users()) {
            assertEquals(HISTORY.expectedListing(user), listed.getOrDefault(user, 0), user);
        }
    }

    @Test
    void directPairsAndSenderWatermarksAreSet() {
        long directs = HISTORY.plan().conversations().stream().filter(m -> m.size() == 2).count();
        assertEquals(String.valueOf(directs), PG.sql("SELECT count(*) FROM conversation_table WHERE direct_user_a IS NOT NULL;"));
        assertEquals("0", PG.sql("SELECT count(*) FROM participant_table p WHERE p.last_read_seq <"
                + " (SELECT coalesce(max(seq), 0) FROM message_table m"
                + "  WHERE m.conversation_id = p.conversation_id AND m.sender_id = p.user_id);"));
        assertEquals("0", PG.sql("SELECT count(*) FROM conversation_table c WHERE c.participant_ids IS DISTINCT FROM"
                + " ARRAY(SELECT p.user_id FROM participant_table p WHERE p.conversation_id = c.conversation_id"
                + " ORDER BY p.join_order);"), "the participants on each conversation's row, in their order");
        List<String> creators = HISTORY.plan().conversations().stream().map(m -> m.get(0)).toList();
        assertEquals(creators.get(0), PG.sql("SELECT created_by FROM conversation_table WHERE conversation_id = '" + IDS[0] + "';"));
    }

    /**
     * bench/run --base runs every scenario against an older server jar too, and the server
     * migrates the run's database as far as it knows: before V4, conversation_table has no
     * participant_ids, and the history must load all the same.
     */
    @Test
    void aDatabaseMigratedByAServerBeforeV4GetsTheSameHistoryWithoutTheParticipantsCopy() {
        Psql older = new Psql(PG.host(), PG.port(), PG.user(), PG.password(), PG.database() + "_v3");
        older.recreateDatabase();
        try {
            Flyway.configure(Migrations.class.getClassLoader()).dataSource(older.jdbcUrl(), older.user(), older.password())
                    .locations("classpath:db/migration").target("3").load().migrate();
            older.sql(HISTORY.population().sql());
            String[] ids = new String[IDS.length];

            assertFalse(RestDataset.hasParticipantIds(older), "the schema of a server before V4");
            assertTrue(RestDataset.insert(HISTORY, new Target(null, PROFILE, BenchRun.POSTGRES_REDIS, older, "t1",
                    StoreProcesses.NONE), ids));
            assertEquals(String.valueOf(PROFILE.restMessages()), older.sql("SELECT count(*) FROM message_table;"));
            assertEquals(String.valueOf(IDS.length), older.sql("SELECT count(*) FROM conversation_table;"));
            long memberships = HISTORY.plan().conversations().stream().mapToLong(List::size).sum();
            assertEquals(String.valueOf(memberships), older.sql("SELECT count(*) FROM participant_table;"));
        } finally {
            older.dropDatabase();
        }
    }
}
