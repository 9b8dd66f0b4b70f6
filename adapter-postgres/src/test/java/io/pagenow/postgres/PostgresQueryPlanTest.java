package io.pagenow.postgres;

import io.pagenow.db.testing.TestSchema;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The listing and paging statements read message_table and participant_table through their
 * indexes, at a size where a sequential scan would be the planner's choice if no index fitted
 * (the full-size figures come from {@link QueryBenchmark}); so does the append batch, even under
 * the generic plan a pooled connection caches for it.
 */
class PostgresQueryPlanTest {

    private static final GeneratedData DATA = new GeneratedData(200, 2_000, 100_000);

    private static TestSchema schema;
    private static PostgresStores stores;
    private static Jdbi jdbi;

    @BeforeAll
    static void generate() throws SQLException {
        schema = TestSchema.create("plans");
        stores = PostgresStores.open(new PostgresConfig(schema.jdbcUrl(), schema.user(), schema.password(), 2, true));
        try (Connection c = schema.connect()) {
            DATA.insert(c);
        }
        jdbi = Jdbi.create(schema.jdbcUrl(), schema.user(), schema.password());
    }

    @AfterAll
    static void drop() {
        stores.close();
        schema.close();
    }

    @Test
    void theGeneratedDataIsWhatThePlansAreAbout() {
        assertEquals((long) DATA.messages(), (long) jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM message_table")
                .mapTo(Long.class).one()));
        int heavy = stores.conversations().activityOf(GeneratedData.userId(0)).size();
        int ordinary = stores.conversations().activityOf(GeneratedData.userId(150)).size();
        assertTrue(heavy > 3 * ordinary, heavy + " vs " + ordinary);
    }

    @Test
    void theListingUsesIndexesForABusyAndAnOrdinaryUser() {
        for (String user : List.of(GeneratedData.userId(0), GeneratedData.userId(150))) {
            List<String> plan = jdbi.withHandle(h -> QueryPlans.listing(h, user));
            assertEquals(List.of(), QueryPlans.sequentialScans(plan), () -> String.join("\n", plan));
            assertTrue(plan.stream().anyMatch(l -> l.contains("participant_table_pkey")), () -> String.join("\n", plan));
            assertTrue(plan.stream().noneMatch(l -> l.contains("message_table")), () -> String.join("\n", plan));
            assertTrue(plan.stream().noneMatch(l -> l.contains("participant_table_conversation_order_idx")
                            || l.contains("SubPlan")),
                    () -> "the participants come with the conversation row, no subquery per row:\n" + String.join("\n", plan));
        }
    }

    @Test
    void theAppendBatchProbesIndexesEvenUnderItsGenericPlan() {
        List<String> plan = jdbi.withHandle(QueryPlans::appendGenericPlan);
        assertEquals(List.of(), plan.stream().filter(l -> l.contains("Seq Scan on")).toList(), () -> String.join("\n", plan));
        assertTrue(plan.stream().anyMatch(l -> l.contains("message_table_conversation_sender_temp_message_key")),
                () -> String.join("\n", plan));
    }

    @Test
    void pagingUsesTheSequenceIndexAtAnyDepth() {
        UUID longest = jdbi.withHandle(h -> h.createQuery("SELECT " + GeneratedData.conversationIdSql(0))
                .mapTo(UUID.class).one());
        for (List<String> plan : jdbi.withHandle(h -> List.of(
                QueryPlans.newest(h, longest, 0, 20),
                QueryPlans.newest(h, longest, 150, 20),
                QueryPlans.before(h, longest, 90, 20)))) {
            assertEquals(List.of(), QueryPlans.sequentialScans(plan), () -> String.join("\n", plan));
            assertTrue(plan.stream().anyMatch(l -> l.contains("Index Scan Backward using message_table_conversation_seq_key")),
                    () -> String.join("\n", plan));
        }
    }

    @Test
    void catchUpUsesTheSequenceIndex() {
        UUID longest = jdbi.withHandle(h -> h.createQuery("SELECT " + GeneratedData.conversationIdSql(0))
                .mapTo(UUID.class).one());
        for (long seq : new long[] {1, 90}) {
            List<String> plan = jdbi.withHandle(h -> QueryPlans.after(h, longest, seq, 20));
            assertEquals(List.of(), QueryPlans.sequentialScans(plan), () -> String.join("\n", plan));
            // Near the end of a conversation the planner may take a bitmap scan of the same index: fine too.
            assertTrue(plan.stream().anyMatch(l -> l.contains("message_table_conversation_seq_key")),
                    () -> String.join("\n", plan));
        }
    }
}
