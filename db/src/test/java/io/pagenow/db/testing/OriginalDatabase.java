package io.pagenow.db.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A database of the original system (docs/original-schema.md) with the defects its data really has:
 * three direct conversations for one pair, messages sharing a {@code sent_at}, missing and
 * {@code false} read rows, a read message after an unread one, and a conversation whose
 * {@code created_at}, {@code title} and {@code is_group} are NULL.
 *
 * <p>After migration: the alice-bob conversations merge into {@link #AB1} (the oldest) with seqs
 * m1 m2 m3 m5 m4 m6; alice's watermark there is 6, bob's 4 (m4 is unread). In {@link #GROUP} (g1 g2
 * g3 g4) alice's watermark is 3 (no read row for g4), bob's 0, carol's 4, dave's 2 (g3 unread;
 * g4, read after it, counts as unread again). In {@link #AE} both have read e1.
 */
public final class OriginalDatabase {

    public static final Instant T0 = Instant.parse("2026-01-05T10:00:00Z");

    public static final UUID AB1 = id("00000000-0000-0000-0000-0000000000a1");
    public static final UUID AB2 = id("00000000-0000-0000-0000-0000000000a2");
    public static final UUID AB3 = id("00000000-0000-0000-0000-0000000000a3");
    public static final UUID GROUP = id("00000000-0000-0000-0000-0000000000b1");
    public static final UUID CD = id("00000000-0000-0000-0000-0000000000c1");
    public static final UUID AE = id("00000000-0000-0000-0000-0000000000e1");

    public static final UUID M1 = id("00000000-0000-0000-0000-000000000101");
    public static final UUID M2 = id("00000000-0000-0000-0000-000000000102");
    public static final UUID M3 = id("00000000-0000-0000-0000-000000000103");
    public static final UUID M4 = id("00000000-0000-0000-0000-000000000104");
    public static final UUID M5 = id("00000000-0000-0000-0000-000000000105");
    public static final UUID M6 = id("00000000-0000-0000-0000-000000000106");
    public static final UUID G1 = id("00000000-0000-0000-0000-000000000201");
    public static final UUID G2 = id("00000000-0000-0000-0000-000000000202");
    public static final UUID G3 = id("00000000-0000-0000-0000-000000000203");
    public static final UUID G4 = id("00000000-0000-0000-0000-000000000204");
    public static final UUID E1 = id("00000000-0000-0000-0000-000000000301");

    public record OriginalMessage(UUID id, UUID conversationId, Instant sentAt, String senderId, String content) {
    }

    /** Inserted in this order; m3 before m2 so that only the message_id tie-break orders them. */
    public static final List<OriginalMessage> MESSAGES = List.of(
            new OriginalMessage(M1, AB1, T0.plusSeconds(10), "alice", "hi bob"),
            new OriginalMessage(M3, AB1, T0.plusSeconds(20), "bob", "same instant, second"),
            new OriginalMessage(M2, AB1, T0.plusSeconds(20), "bob", "same instant, first"),
            new OriginalMessage(M4, AB1, T0.plusSeconds(40), "alice", "later"),
            new OriginalMessage(M5, AB2, T0.plusSeconds(30), "bob", "from the duplicate conversation"),
            new OriginalMessage(M6, AB2, T0.plusSeconds(50), "alice", "the last one \uD83D\uDE00"),
            new OriginalMessage(G1, GROUP, T0.plusSeconds(100), "carol", "group hello"),
            new OriginalMessage(G2, GROUP, T0.plusSeconds(110), "dave", "hey"),
            new OriginalMessage(G4, GROUP, T0.plusSeconds(120), "carol", "tie, second"),
            new OriginalMessage(G3, GROUP, T0.plusSeconds(120), "alice", "tie, first"),
            new OriginalMessage(E1, AE, T0.plusSeconds(200), "erin", "hello alice"));

    /** After migration: each conversation's messages in seq order (seq 1 first). */
    public static final Map<UUID, List<UUID>> MIGRATED_ORDER = Map.of(
            AB1, List.of(M1, M2, M3, M5, M4, M6),
            GROUP, List.of(G1, G2, G3, G4),
            AE, List.of(E1),
            CD, List.of());

    /** After migration: the participants of each conversation in order, with their watermarks. */
    public static final Map<UUID, Map<String, Long>> MIGRATED_WATERMARKS = Map.of(
            AB1, Map.of("alice", 6L, "bob", 4L),
            GROUP, Map.of("alice", 3L, "bob", 0L, "carol", 4L, "dave", 2L),
            AE, Map.of("erin", 1L, "alice", 1L),
            CD, Map.of("carol", 0L, "dave", 0L));

    public static final Map<UUID, List<String>> MIGRATED_PARTICIPANTS = Map.of(
            AB1, List.of("alice", "bob"),
            GROUP, List.of("alice", "bob", "carol", "dave"),
            AE, List.of("erin", "alice"),
            CD, List.of("carol", "dave"));

    private OriginalDatabase() {
    }

    /** Creates the original tables in the connection's schema and fills them. */
    public static void create(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(resource("/original-schema.sql"));
        }
        for (String[] u : new String[][] {
                {"alice", "Alice", "Kim", "default_all", "{}", "{news.com}", "png"},
                {"bob", "Bob", "Lee", "default_none", "{github.com,wikipedia.org}", "{}", null},
                {"carol", "Carol", "Park", "default_all", "{}", "{}", "jpg"},
                {"dave", "Dave", "Choi", "default_none", "{}", "{}", null},
                {"erin", "Erin", "Jung", "default_all", "{}", "{}", null}}) {
            try (PreparedStatement p = c.prepareStatement("INSERT INTO user_table (user_id, email, first_name, last_name,"
                    + " share_mode, domain_allow_array, domain_deny_array, profile_image_extension, description)"
                    + " VALUES (?, ?, ?, ?, ?, ?::varchar[], ?::varchar[], ?, 'bio')")) {
                p.setString(1, u[0]);
                p.setString(2, u[0] + "@example.com");
                p.setString(3, u[1]);
                p.setString(4, u[2]);
                p.setString(5, u[3]);
                p.setString(6, u[4]);
                p.setString(7, u[5]);
                p.setString(8, u[6]);
                p.executeUpdate();
            }
        }
        friendship(c, "alice", "bob", true);
        friendship(c, "carol", "bob", true);
        friendship(c, "alice", "carol", false);

        conversation(c, AB1, "alice", T0, "", false, "alice", "bob");
        conversation(c, AB2, "bob", T0.plusSeconds(60), "", false, "bob", "alice");
        conversation(c, AB3, "alice", T0.plusSeconds(120), "", false, "alice", "bob");
        conversation(c, GROUP, "alice", T0, "Trip", true, "alice", "bob", "carol", "dave");
        conversation(c, CD, "carol", T0, "", false, "carol", "dave");
        conversation(c, AE, "erin", null, null, null, "erin", "alice");

        for (OriginalMessage m : MESSAGES) {
            try (PreparedStatement p = c.prepareStatement("INSERT INTO message_table"
                    + " (message_id, conversation_id, sent_at, sender_id, content) VALUES (?, ?, ?, ?, ?)")) {
                p.setObject(1, m.id());
                p.setObject(2, m.conversationId());
                p.setObject(3, m.sentAt().atOffset(ZoneOffset.UTC));
                p.setString(4, m.senderId());
                p.setString(5, m.content());
                p.executeUpdate();
            }
        }

        read(c, M1, "alice", true, "bob", true);
        read(c, M2, "bob", true, "alice", true);
        read(c, M3, "bob", true, "alice", true);
        read(c, M4, "alice", true, "bob", false);
        read(c, M5, "bob", true, "alice", true);
        read(c, M6, "alice", true, "bob", false);
        read(c, G1, "carol", true, "alice", true, "bob", false, "dave", true);
        read(c, G2, "dave", true, "alice", true, "bob", false, "carol", true);
        read(c, G3, "alice", true, "bob", false, "carol", true, "dave", false);
        read(c, G4, "carol", true, "bob", false, "dave", true); // alice has no row for g4
        read(c, E1, "erin", true, "alice", true);
    }

    private static void friendship(Connection c, String requester, String addressee, boolean accepted)
            throws SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO friendship_table"
                + " (user_id1, user_id2, requested_at, accepted_at) VALUES (?, ?, ?, ?)")) {
            LocalDateTime at = LocalDateTime.ofInstant(T0, ZoneOffset.UTC);
            p.setString(1, requester);
            p.setString(2, addressee);
            p.setObject(3, at);
            p.setObject(4, accepted ? at.plusMinutes(1) : null);
            p.executeUpdate();
        }
    }

    private static void conversation(Connection c, UUID id, String createdBy, Instant createdAt, String title,
                                     Boolean group, String... participants) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO conversation_table"
                + " (conversation_id, created_by, created_at, title, is_group) VALUES (?, ?, ?, ?, ?)")) {
            p.setObject(1, id);
            p.setString(2, createdBy);
            p.setObject(3, createdAt == null ? null : LocalDateTime.ofInstant(createdAt, ZoneOffset.UTC));
            p.setString(4, title);
            p.setObject(5, group);
            p.executeUpdate();
        }
        for (String participant : participants) {
            try (PreparedStatement p = c.prepareStatement(
                    "INSERT INTO participant_table (user_id, conversation_id) VALUES (?, ?)")) {
                p.setString(1, participant);
                p.setObject(2, id);
                p.executeUpdate();
            }
        }
    }

    /** Read rows of one message: user, is_read, user, is_read, ... */
    private static void read(Connection c, UUID messageId, Object... userAndRead) throws SQLException {
        for (int i = 0; i < userAndRead.length; i += 2) {
            try (PreparedStatement p = c.prepareStatement(
                    "INSERT INTO message_is_read_table (message_id, user_id, is_read) VALUES (?, ?, ?)")) {
                p.setObject(1, messageId);
                p.setString(2, (String) userAndRead[i]);
                p.setBoolean(3, (Boolean) userAndRead[i + 1]);
                p.executeUpdate();
            }
        }
    }

    private static String resource(String name) {
        try (InputStream in = OriginalDatabase.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static UUID id(String s) {
        return UUID.fromString(s);
    }
}
