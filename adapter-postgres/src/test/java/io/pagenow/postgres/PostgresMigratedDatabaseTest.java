package io.pagenow.postgres;

import io.pagenow.core.chat.Conversation;
import io.pagenow.core.chat.ConversationActivity;
import io.pagenow.core.chat.Message;
import io.pagenow.core.chat.port.out.ConversationStore;
import io.pagenow.core.social.port.out.SocialGraph;
import io.pagenow.db.testing.OriginalDatabase;
import io.pagenow.db.testing.TestSchema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static io.pagenow.db.testing.OriginalDatabase.AB1;
import static io.pagenow.db.testing.OriginalDatabase.AE;
import static io.pagenow.db.testing.OriginalDatabase.GROUP;
import static io.pagenow.db.testing.OriginalDatabase.M6;
import static io.pagenow.db.testing.OriginalDatabase.G4;
import static io.pagenow.db.testing.OriginalDatabase.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An original system's database, upgraded by opening the stores on it, read through the ports. */
class PostgresMigratedDatabaseTest {

    private static TestSchema schema;
    private static PostgresStores stores;
    private static ConversationStore store;

    @BeforeAll
    static void upgradeOriginalDatabase() throws SQLException {
        schema = TestSchema.create("migrated");
        try (Connection c = schema.connect()) {
            OriginalDatabase.create(c);
        }
        stores = PostgresStores.open(new PostgresConfig(schema.jdbcUrl(), schema.user(), schema.password(), 4, true));
        store = stores.conversations();
    }

    @AfterAll
    static void drop() {
        stores.close();
        schema.close();
    }

    @Test
    void theListingShowsTheMigratedReadState() {
        List<ConversationActivity> bob = store.activityOf("bob");

        assertEquals(List.of(GROUP, AB1), bob.stream().map(a -> a.conversation().id()).toList());
        assertEquals(G4, bob.get(0).latest().id());
        assertEquals(0, bob.get(0).lastReadSeq());
        assertEquals(M6, bob.get(1).latest().id());
        assertEquals(6, bob.get(1).latest().seq());
        assertEquals(4, bob.get(1).lastReadSeq(), "m4 and m6 unread");
        assertEquals(3, watermark("alice", GROUP), "no read row for g4");
        assertEquals(2, watermark("dave", GROUP), "g3 unread, so g4 after it counts as unread too");
    }

    @Test
    void theMergedDirectConversationHasEveryMessageInOrderAndStaysTheOnlyOne() {
        List<Message> newestFirst = store.newest(AB1, 0, 100);
        List<Object> oldestFirst = new ArrayList<>(newestFirst.stream().map(Message::id).toList());
        java.util.Collections.reverse(oldestFirst);

        assertEquals(List.copyOf(OriginalDatabase.MIGRATED_ORDER.get(AB1)), oldestFirst);
        assertEquals(Optional.of(AB1), store.findDirect("bob", "alice"));
        Conversation direct = store.findOrCreateDirect("bob", "alice", T0.plusSeconds(1000));
        assertEquals(AB1, direct.id());
        assertEquals(List.of("alice", "bob"), direct.participantIds());
        assertEquals(T0, direct.createdAt());
    }

    @Test
    void newMessagesContinueTheMigratedSequence() {
        Message sent = store.append(AE, "alice", "after-migration", "back online", T0.plusSeconds(5000)).message();

        assertEquals(2, sent.seq());
        assertEquals(2, watermark("alice", AE));
        assertEquals(1, watermark("erin", AE));
        assertEquals(2, store.markRead(AE, "erin"));
        assertEquals(List.of(sent), store.newest(AE, 0, 1));
    }

    private static long watermark(String userId, java.util.UUID conversationId) {
        return store.activityOf(userId).stream().filter(a -> a.conversation().id().equals(conversationId))
                .findFirst().orElseThrow().lastReadSeq();
    }

    @Test
    void theUserServiceRowsReadAsTheSocialGraph() {
        SocialGraph graph = stores.socialGraph();

        assertEquals(Set.of("alice", "carol"), graph.friendsOf("bob"));
        assertEquals(Set.of("bob"), graph.friendsOf("alice"));
        assertTrue(graph.shareSettings("bob").orElseThrow().shares("github.com"));
        assertEquals("png", graph.usersById(List.of("alice")).get("alice").profileImageExtension());
    }
}
