package io.pagenow.postgres;

import io.pagenow.core.chat.Conversation;
import io.pagenow.core.chat.port.out.ConversationStore;
import io.pagenow.db.testing.TcpProxy;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Conversations are kept once known: equal to what is stored, served without the database, never cached as missing. */
class PostgresConversationCacheTest {

    private static final Instant T = Instant.parse("2026-03-01T08:30:15.123Z");

    @Test
    void aCachedConversationEqualsTheStoredOneAndNeedsNoDatabase() throws Exception {
        try (TestStores db = TestStores.open("conversation_cache"); TcpProxy proxy = TcpProxy.start(db.schema.address());
             PostgresStores viaProxy = PostgresStores.open(new PostgresConfig(
                     db.schema.jdbcUrlAt("127.0.0.1", proxy.port()), db.schema.user(), db.schema.password(), 2, false,
                     Duration.ofMillis(500), Duration.ofSeconds(2)))) {
            ConversationStore store = viaProxy.conversations();
            Conversation group = store.createGroup("carol", "trip", new LinkedHashSet<>(List.of("carol", "alice", "bob")),
                    T);
            Conversation direct = store.findOrCreateDirect("zed", "amy", T);
            // Created by another store: this one learns it by reading it once.
            Conversation other = db.stores.conversations().createGroup("dave", "", new LinkedHashSet<>(
                    List.of("dave", "erin")), T);
            assertEquals(Optional.of(other), store.find(other.id()));
            // What a store without this one's cache reads from the tables.
            ConversationStore uncached = db.stores.conversations();
            assertEquals(uncached.find(group.id()), store.find(group.id()));
            assertEquals(uncached.find(direct.id()), store.find(direct.id()));
            assertEquals(uncached.find(direct.id()), Optional.of(store.findOrCreateDirect("amy", "zed", T)));

            proxy.stop();

            assertEquals(Optional.of(group), store.find(group.id()));
            assertEquals(Optional.of(direct), store.find(direct.id()));
            assertEquals(Optional.of(other), store.find(other.id()));
        }
    }

    @Test
    void aMissingConversationIsNotCachedAsMissing() throws Exception {
        try (TestStores db = TestStores.open("conversation_miss")) {
            ConversationStore store = db.stores.conversations();
            UUID id = UUID.randomUUID();
            assertEquals(Optional.empty(), store.find(id));

            // Created by another node after the miss.
            try (Connection c = db.schema.connect()) {
                try (PreparedStatement p = c.prepareStatement("INSERT INTO conversation_table (conversation_id,"
                        + " created_by, created_at, title, is_group, participant_ids)"
                        + " VALUES (?, 'alice', ?, 'late', true, '{alice,bob}')")) {
                    p.setObject(1, id);
                    p.setObject(2, T.atOffset(ZoneOffset.UTC));
                    p.executeUpdate();
                }
                try (PreparedStatement p = c.prepareStatement("INSERT INTO participant_table (user_id,"
                        + " conversation_id, join_order) VALUES ('alice', ?, 0), ('bob', ?, 1)")) {
                    p.setObject(1, id);
                    p.setObject(2, id);
                    p.executeUpdate();
                }
            }

            assertEquals(Optional.of(new Conversation(id, "late", true, "alice", T, List.of("alice", "bob"))),
                    store.find(id));
            assertEquals(1, store.append(id, "alice", "t1", "hello", T).message().seq());
        }
    }
}
