package io.pagenow.postgres;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.pagenow.core.chat.Conversation;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static io.pagenow.postgres.ConversationRows.CONVERSATION_COLUMNS;
import static io.pagenow.postgres.ConversationRows.participantArray;
import static io.pagenow.postgres.MessageRows.utc;

/**
 * Conversations in {@code conversation_table} and {@code participant_table}: created with their
 * participants (and their participants' list versions, {@link ListVersions}) in one transaction,
 * found by id or by the pair of a direct one.
 *
 * <p>A conversation never changes after its creation and is never deleted, so found and created
 * ones are kept in memory (bounded): the participant check of every send and page then costs no
 * query. Only conversations that exist are kept; an unknown id is asked again each time.
 */
final class ConversationTable {

    /** The pair key of a direct conversation, in the byte order the schema's check constraint uses. */
    private static final String PAIR_A = "least(CAST(:userA AS varchar) COLLATE \"C\", CAST(:userB AS varchar) COLLATE \"C\")";
    private static final String PAIR_B = "greatest(CAST(:userA AS varchar) COLLATE \"C\", CAST(:userB AS varchar) COLLATE \"C\")";

    private static final RowMapper<Conversation> CONVERSATION = (rs, ctx) -> ConversationRows.conversation(rs);

    /** Conversations kept at most; the least recently used go first. */
    static final long MAXIMUM_CACHED_CONVERSATIONS = 100_000;

    private final Jdbi jdbi;
    private final PostgresFailures failures;
    private final Cache<UUID, Conversation> known = Caffeine.newBuilder()
            .maximumSize(MAXIMUM_CACHED_CONVERSATIONS)
            // Evictions and the like on the calling thread: nothing here is worth a pool thread.
            .executor(Runnable::run)
            .build();

    ConversationTable(Jdbi jdbi, PostgresFailures failures) {
        this.jdbi = jdbi;
        this.failures = failures;
    }

    Conversation createGroup(String createdBy, String title, Set<String> participantIds, Instant createdAt) {
        Conversation conversation = new Conversation(UUID.randomUUID(), title, true, createdBy, createdAt,
                List.copyOf(participantIds));
        return cached(failures.guard(() -> jdbi.inTransaction(h -> {
            h.createUpdate("INSERT INTO conversation_table (conversation_id, created_by, created_at, title, is_group,"
                            + " participant_ids) VALUES (:id, :createdBy, :createdAt, :title, true, :userIds)")
                    .bind("id", conversation.id())
                    .bind("createdBy", createdBy)
                    .bind("createdAt", utc(createdAt))
                    .bind("title", title)
                    .bind("userIds", participantArray(conversation))
                    .execute();
            addParticipants(h, conversation);
            return conversation;
        })));
    }

    Conversation findOrCreateDirect(String createdBy, String otherUserId, Instant createdAt) {
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
                    .bind("userIds", participantArray(candidate))
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

    Optional<Conversation> find(UUID conversationId) {
        Conversation kept = known.getIfPresent(conversationId);
        if (kept != null) {
            return Optional.of(kept);
        }
        return failures.guard(() -> jdbi.withHandle(h -> h.createQuery(
                        "SELECT " + CONVERSATION_COLUMNS + " FROM conversation_table c WHERE c.conversation_id = :id")
                .bind("id", conversationId)
                .map(CONVERSATION)
                .findOne()))
                .map(this::cached);
    }

    Optional<UUID> findDirect(String userA, String userB) {
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

    /** Whether the conversation exists: from memory when it is kept, else asked on {@code h}. */
    boolean exists(Handle h, UUID conversationId) {
        return known.getIfPresent(conversationId) != null
                || h.createQuery("SELECT 1 FROM conversation_table WHERE conversation_id = :id")
                .bind("id", conversationId).mapTo(Integer.class).findOne().isPresent();
    }

    /** Keeps a conversation that exists (committed); it never changes, so it never needs reading again. */
    private Conversation cached(Conversation conversation) {
        known.put(conversation.id(), conversation);
        return conversation;
    }

    /**
     * The participant rows of a new conversation (the copy on its row is written by its insert), then,
     * as the create transaction's last statement, the participants' list versions.
     */
    private static void addParticipants(Handle h, Conversation conversation) {
        String[] participants = participantArray(conversation);
        h.createUpdate("INSERT INTO participant_table (user_id, conversation_id, join_order)"
                        + " SELECT t.user_id, :id, t.ord - 1 FROM unnest(:userIds) WITH ORDINALITY AS t(user_id, ord)")
                .bind("id", conversation.id())
                .bind("userIds", participants)
                .execute();
        ListVersions.incrementUsers(h, participants);
    }
}
