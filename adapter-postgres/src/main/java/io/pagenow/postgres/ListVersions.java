package io.pagenow.postgres;

import org.jdbi.v3.core.Handle;

import java.util.UUID;

/**
 * The version of each user's conversation list ({@code conversation_list_version}): what a node
 * keeping a user's encoded list checks before answering from it, so a change committed through any
 * node (or Lambda container) is seen by every other on its next request.
 *
 * <p>Every transaction that changes what a list shows increments the versions of the users whose
 * lists it changes, in the same transaction, as its last statement, with the rows taken in
 * {@code user_id} order: so the increment commits exactly with the change (a version read never
 * runs ahead of the lists), and two transactions that both increment wait for each other's rows in
 * one order and cannot deadlock. Holding the rows only from the last statement to the commit, an
 * incrementing transaction never waits for another lock while holding them. A user without a row
 * is at version 0.
 */
final class ListVersions {

    /** One user's version: a primary-key lookup. */
    static final String VERSION_SQL = "SELECT coalesce((SELECT version FROM conversation_list_version"
            + " WHERE user_id = :userId), 0)";

    /** The increment of the version rows of {@code users} (a relation of distinct user ids, ordered). */
    private static final String INCREMENT = "INSERT INTO conversation_list_version AS v (user_id, version)"
            + " SELECT user_id, 1 FROM (%s) users ORDER BY user_id COLLATE \"C\""
            + " ON CONFLICT (user_id) DO UPDATE SET version = v.version + 1";

    /** Increments the versions of every participant of the conversations {@code :conversationIds}. */
    static final String OF_PARTICIPANTS_SQL = INCREMENT.formatted("SELECT DISTINCT p.user_id FROM participant_table p"
            + " WHERE p.conversation_id = ANY(CAST(:conversationIds AS uuid[]))");

    /**
     * {@link #OF_PARTICIPANTS_SQL} with its one parameter positional, for the plain JDBC of the
     * append batch ({@link PostgresAppends}), where it is sent with the batch's own statements.
     */
    static final String OF_PARTICIPANTS_JDBC_SQL = INCREMENT.formatted("SELECT DISTINCT p.user_id FROM participant_table p"
            + " WHERE p.conversation_id = ANY(CAST(? AS uuid[]))");

    /** Increments the versions of the users {@code :userIds}. */
    static final String OF_USERS_SQL = INCREMENT.formatted("SELECT DISTINCT u AS user_id FROM unnest(CAST(:userIds AS varchar[])) u");

    /**
     * Increments the version of {@code :userId} for each row of {@code cte} (a common table
     * expression of the same statement, listing the change): none when it changed nothing.
     */
    static String ofUserWhen(String cte) {
        return INCREMENT.formatted("SELECT DISTINCT CAST(:userId AS varchar) AS user_id FROM " + cte);
    }

    /**
     * Increments the versions of the users in the array column {@code participant_ids} of each row of
     * {@code cte}: none when it is empty.
     */
    static String ofParticipantsIn(String cte) {
        return INCREMENT.formatted("SELECT DISTINCT unnest(participant_ids) AS user_id FROM " + cte);
    }

    private ListVersions() {
    }

    static long of(Handle h, String userId) {
        return h.createQuery(VERSION_SQL).bind("userId", userId).mapTo(Long.class).one();
    }

    /** The last statement of a transaction that appended to the conversations. */
    static void incrementParticipants(Handle h, UUID[] conversationIds) {
        h.createUpdate(OF_PARTICIPANTS_SQL).bind("conversationIds", conversationIds).execute();
    }

    /** The last statement of a transaction that created a conversation of these users. */
    static void incrementUsers(Handle h, String[] userIds) {
        h.createUpdate(OF_USERS_SQL).bind("userIds", userIds).execute();
    }
}
