package io.pagenow.postgres;

import io.pagenow.core.chat.Message;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

/**
 * A {@code message_table} row and a {@link Message}, both ways: what the conversation store's
 * queries and the append writer read and write. Instants go in as UTC offsets and come out as
 * instants, so the JVM's zone never enters.
 */
final class MessageRows {

    /** The columns {@link #message} reads, from a {@code message_table} aliased {@code m}. */
    static final String MESSAGE_COLUMNS =
            "m.message_id, m.conversation_id, m.seq, m.sender_id, m.content, m.sent_at, m.temp_message_id,"
                    + " m.edited_at, m.deleted_at";

    private MessageRows() {
    }

    static Message message(ResultSet rs) throws SQLException {
        return new Message(rs.getObject("message_id", UUID.class), rs.getObject("conversation_id", UUID.class),
                rs.getLong("seq"), rs.getString("sender_id"), rs.getString("content"),
                rs.getObject("sent_at", OffsetDateTime.class).toInstant(), rs.getString("temp_message_id"),
                instant(rs, "edited_at"), instant(rs, "deleted_at"));
    }

    static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
