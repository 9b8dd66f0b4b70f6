package io.pagenow.postgres;

import org.jdbi.v3.core.Handle;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/** EXPLAIN of the exact statements the store runs, with the values a request would bind. */
final class QueryPlans {

    private QueryPlans() {
    }

    static List<String> listing(Handle h, String userId) {
        return explain(h, PostgresConversationStore.ACTIVITY_SQL, Map.of("userId", userId));
    }

    static List<String> newest(Handle h, UUID conversationId, long offset, int limit) {
        return explain(h, MessageTable.NEWEST_SQL, Map.of("id", conversationId, "offset", offset,
                "limit", limit));
    }

    static List<String> before(Handle h, UUID conversationId, long seq, int limit) {
        return explain(h, MessageTable.BEFORE_SQL, Map.of("id", conversationId, "seq", seq,
                "limit", limit));
    }

    static List<String> after(Handle h, UUID conversationId, long seq, int limit) {
        return explain(h, MessageTable.AFTER_SQL, Map.of("id", conversationId, "seq", seq,
                "limit", limit));
    }

    /**
     * The plan a pooled connection settles on for the append batch after a few executions: the
     * generic one, planned without the batch's arrays (PostgreSQL guesses 100 rows for each).
     */
    static List<String> appendGenericPlan(Handle h) {
        StringBuilder numbered = new StringBuilder();
        int n = 0;
        for (char ch : PostgresAppends.APPEND_SQL.toCharArray()) {
            if (ch == '?') {
                numbered.append('$').append(++n);
            } else {
                numbered.append(ch);
            }
        }
        h.execute("SET plan_cache_mode = force_generic_plan");
        h.execute("PREPARE append_batch AS " + numbered);
        try {
            return h.createQuery("EXPLAIN EXECUTE append_batch(" + String.join(", ", java.util.Collections.nCopies(n, "'{}'"))
                    + ")").mapTo(String.class).list();
        } finally {
            h.execute("DEALLOCATE append_batch");
            h.execute("RESET plan_cache_mode");
        }
    }

    /** The tables the plan reads without an index, among those that grow with use. */
    static List<String> sequentialScans(List<String> plan) {
        return plan.stream()
                .filter(line -> line.contains("Seq Scan on message_table") || line.contains("Seq Scan on participant_table"))
                .toList();
    }

    private static List<String> explain(Handle h, String sql, Map<String, Object> binds) {
        return h.createQuery("EXPLAIN " + sql).bindMap(binds).mapTo(String.class).list();
    }
}
