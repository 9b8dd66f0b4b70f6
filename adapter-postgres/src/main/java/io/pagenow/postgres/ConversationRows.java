package io.pagenow.postgres;

import io.pagenow.core.chat.Conversation;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.UUID;

/**
 * A {@code conversation_table} row and a {@link Conversation}: what the conversation lookups and
 * the conversation list read. The row carries its participants in their order
 * ({@code participant_ids}), so a conversation is read from it alone.
 */
final class ConversationRows {

    /** The columns {@link #conversation} reads, from a {@code conversation_table} aliased {@code c}. */
    static final String CONVERSATION_COLUMNS = "c.conversation_id, c.title, c.is_group, c.created_by,"
            + " c.created_at, c.participant_ids";

    private ConversationRows() {
    }

    static Conversation conversation(ResultSet rs) throws SQLException {
        String[] participants = (String[]) rs.getArray("participant_ids").getArray();
        return new Conversation(rs.getObject("conversation_id", UUID.class), rs.getString("title"),
                rs.getBoolean("is_group"), rs.getString("created_by"),
                rs.getObject("created_at", OffsetDateTime.class).toInstant(), Arrays.asList(participants));
    }

    /** The participants as the array columns and parameters take them. */
    static String[] participantArray(Conversation conversation) {
        return conversation.participantIds().toArray(new String[0]);
    }
}
