package io.pagenow.postgres;

import io.pagenow.core.chat.Appended;
import io.pagenow.core.chat.Conversation;
import io.pagenow.core.chat.ConversationActivity;
import io.pagenow.core.chat.Message;
import io.pagenow.core.chat.port.out.ConversationStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the PostgreSQL store must do beyond what the contract suite checks, and how it stores it. */
class PostgresConversationStoreBehaviourTest {

    private static final Instant T = Instant.parse("2026-03-01T08:30:15.123Z");

    private static TestStores db;
    private static ConversationStore store;

    @BeforeAll
    static void openStores() {
        db = TestStores.open("conversation_behaviour");
        store = db.stores.conversations();
    }

    @AfterAll
    static void closeStores() {
        db.close();
    }

    private static String user(String name) {
        return name + "-" + UUID.randomUUID();
    }

    @Test
    void aGroupReadsBackAsItWasCreatedWithItsParticipantsInOrder() {
        String carol = user("carol");
        String alice = user("alice");
        String bob = user("bob");
        LinkedHashSet<String> participants = new LinkedHashSet<>(List.of(carol, alice, bob));

        Conversation created = store.createGroup(carol, "Trip \uD83C\uDFD4 to Jeju", participants, T);

        assertEquals(List.of(carol, alice, bob), created.participantIds());
        assertEquals(Optional.of(created), store.find(created.id()));
        assertEquals(Optional.empty(), store.find(UUID.randomUUID()));
    }

    @Test
    void aDirectConversationIsOnePerPairWhoeverCreatesIt() {
        String alice = user("alice");
        String bob = user("bob");

        Conversation first = store.findOrCreateDirect(bob, alice, T);
        Conversation second = store.findOrCreateDirect(alice, bob, T.plusSeconds(5));

        assertEquals(first, second);
        assertEquals(List.of(bob, alice), first.participantIds(), "the creator first");
        assertEquals("", first.title());
        assertFalse(first.group());
        assertEquals(Optional.of(first.id()), store.findDirect(alice, bob));
        assertEquals(Optional.of(first.id()), store.findDirect(bob, alice));
        assertEquals(Optional.empty(), store.findDirect(alice, user("carol")));
        assertEquals(Optional.empty(), store.findDirect(alice, alice));
    }

    @Test
    void pairKeysCompareBytesSoIdsDifferingOnlyInCaseOrAccentsArePairsOfTheirOwn() {
        String base = UUID.randomUUID().toString();
        Conversation lower = store.findOrCreateDirect("\u00e9" + base, "e" + base, T);
        Conversation upper = store.findOrCreateDirect("E" + base, "e" + base, T);

        assertNotEquals(lower.id(), upper.id());
        assertEquals(Optional.of(lower.id()), store.findDirect("e" + base, "\u00e9" + base));
        assertEquals(Optional.of(upper.id()), store.findDirect("e" + base, "E" + base));
    }

    @Test
    void messagesGetConsecutiveSequenceNumbersAndReadBackEqual() {
        String alice = user("alice");
        String bob = user("bob");
        UUID id = store.findOrCreateDirect(alice, bob, T).id();
        String longest = "\uD83D\uDE00".repeat(1000); // 1000 code points, 2000 UTF-16 units

        Message m1 = store.append(id, alice, "t1", "hello", T).message();
        Message m2 = store.append(id, bob, "t2", longest, T).message();
        Message m3 = store.append(id, alice, "t3", "third", T.plusMillis(1)).message();

        assertEquals(List.of(1L, 2L, 3L), List.of(m1.seq(), m2.seq(), m3.seq()));
        assertEquals(Optional.of(m2), store.findMessage(m2.id()));
        assertEquals(List.of(m3, m2, m1), store.newest(id, 0, 10));
        assertEquals(T, store.findMessage(m1.id()).orElseThrow().sentAt());
        assertEquals(Optional.empty(), store.findMessage(UUID.randomUUID()));
    }

    @Test
    void aRetriedSendStoresNothingAndLeavesNoGap() {
        String alice = user("alice");
        UUID id = store.findOrCreateDirect(alice, user("bob"), T).id();

        Appended first = store.append(id, alice, "same", "hello", T);
        Appended retry = store.append(id, alice, "same", "hello again", T.plusSeconds(1));
        assertEquals(first.message(), activity(alice, id).latest(), "the retry left the latest-message copy alone");
        Appended next = store.append(id, alice, "other", "next", T.plusSeconds(2));

        assertTrue(first.created());
        assertFalse(retry.created());
        assertEquals(first.message(), retry.message());
        assertEquals(2, next.message().seq());
        assertEquals(2, store.newest(id, 0, 10).size());
    }

    @Test
    void sendingMovesOnlyTheSendersWatermark() {
        String alice = user("alice");
        String bob = user("bob");
        UUID id = store.findOrCreateDirect(alice, bob, T).id();

        store.append(id, alice, "t1", "one", T);
        store.append(id, alice, "t2", "two", T.plusSeconds(1));

        assertEquals(2, activity(alice, id).lastReadSeq());
        assertEquals(0, activity(bob, id).lastReadSeq());
    }

    @Test
    void markReadMovesToTheLatestMessageAndNeverBack() {
        String alice = user("alice");
        String bob = user("bob");
        UUID id = store.findOrCreateDirect(alice, bob, T).id();
        assertEquals(0, store.markRead(id, bob), "nothing to read yet");

        store.append(id, alice, "t1", "one", T);
        store.append(id, alice, "t2", "two", T);
        assertEquals(2, store.markRead(id, bob));
        assertEquals(2, store.markRead(id, bob));
        store.append(id, bob, "t3", "three", T);
        assertEquals(3, store.markRead(id, alice));
        assertEquals(3, activity(bob, id).lastReadSeq());

        assertThrows(IllegalArgumentException.class, () -> store.markRead(id, user("mallory")));
    }

    @Test
    void pagesAreCutNewestFirstByOffsetOrBeforeASequenceNumber() {
        String alice = user("alice");
        UUID id = store.findOrCreateDirect(alice, user("bob"), T).id();
        for (int i = 1; i <= 25; i++) {
            store.append(id, alice, "t" + i, "message " + i, T.plusSeconds(i));
        }

        assertEquals(seqs(25, 16), seqsOf(store.newest(id, 0, 10)));
        assertEquals(seqs(5, 1), seqsOf(store.newest(id, 20, 10)));
        assertEquals(List.of(), store.newest(id, 25, 10));
        assertEquals(List.of(), store.newest(id, 1000, 10));
        assertEquals(seqs(10, 6), seqsOf(store.before(id, 11, 5)));
        assertEquals(seqs(2, 1), seqsOf(store.before(id, 3, 5)));
        assertEquals(List.of(), store.before(id, 1, 5));
        assertEquals(seqs(25, 23), seqsOf(store.before(id, 1000, 3)));
        assertThrows(IllegalArgumentException.class, () -> store.newest(UUID.randomUUID(), 0, 10));
        assertThrows(IllegalArgumentException.class, () -> store.before(UUID.randomUUID(), 5, 10));
    }

    @Test
    void theListingHasConversationsWithMessagesNewestLatestMessageFirst() {
        String alice = user("alice");
        String bob = user("bob");
        String carol = user("carol");
        UUID withBob = store.findOrCreateDirect(alice, bob, T).id();
        UUID withCarol = store.findOrCreateDirect(carol, alice, T).id();
        Conversation group = store.createGroup(bob, "g", new LinkedHashSet<>(List.of(bob, alice, carol)), T);
        store.findOrCreateDirect(alice, user("silent"), T);

        store.append(withBob, bob, "b1", "from bob", T.plusSeconds(1));
        store.append(group.id(), carol, "g1", "in the group", T.plusSeconds(2));
        Message latest = store.append(withCarol, carol, "c1", "from carol", T.plusSeconds(3)).message();
        store.append(withBob, alice, "b2", "to bob", T.plusSeconds(4));

        List<ConversationActivity> listing = store.activityOf(alice);

        assertEquals(List.of(withBob, withCarol, group.id()), listing.stream().map(a -> a.conversation().id()).toList());
        assertEquals(latest, listing.get(1).latest());
        assertEquals(List.of(2L, 0L, 0L), listing.stream().map(ConversationActivity::lastReadSeq).toList());
        assertEquals(group, listing.get(2).conversation());
        assertEquals(List.of(), store.activityOf(user("nobody")));
    }

    @Test
    void theProtocolsLongestUserIdsFit() {
        String alice = "a".repeat(100) + UUID.randomUUID().toString().substring(0, 28);
        String bob = "b".repeat(128);
        assertEquals(128, alice.length());

        UUID id = store.findOrCreateDirect(alice, bob, T).id();
        Message sent = store.append(id, alice, "t".repeat(128), "hi", T).message();

        assertEquals(Optional.of(sent), store.findMessage(sent.id()));
        assertEquals(Optional.of(id), store.findDirect(bob, alice));
    }

    @Test
    void sendingToAnUnknownConversationStoresNothing() throws SQLException {
        String alice = user("alice");

        assertThrows(IllegalArgumentException.class, () -> store.append(UUID.randomUUID(), alice, "t", "x", T));

        try (Connection c = db.schema.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM message_table WHERE sender_id = '" + alice + "'")) {
            rs.next();
            assertEquals(0, rs.getLong(1));
        }
    }

    private static ConversationActivity activity(String userId, UUID conversationId) {
        return store.activityOf(userId).stream().filter(a -> a.conversation().id().equals(conversationId))
                .findFirst().orElseThrow();
    }

    private static List<Long> seqs(long from, long downTo) {
        return LongStream.rangeClosed(downTo, from).map(i -> from + downTo - i).boxed().toList();
    }

    private static List<Long> seqsOf(List<Message> messages) {
        return messages.stream().map(Message::seq).toList();
    }
}
