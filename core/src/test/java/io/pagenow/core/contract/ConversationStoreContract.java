package io.pagenow.core.contract;

import io.pagenow.core.chat.Appended;
import io.pagenow.core.chat.Conversation;
import io.pagenow.core.chat.ConversationActivity;
import io.pagenow.core.chat.Message;
import io.pagenow.core.chat.port.out.ConversationStore;
import io.pagenow.core.testing.Concurrently;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The behaviour every {@link ConversationStore} must have. {@link #store()} may return a store
 * shared with earlier tests: every test uses user ids of its own.
 */
public abstract class ConversationStoreContract {

    /** Millisecond precision: what the wire carries and every store keeps. */
    protected static final Instant T0 = Instant.parse("2026-03-01T09:00:00.123Z");

    protected abstract ConversationStore store();

    /**
     * A user id no earlier test used. A store whose tables reference users may override this to
     * create the user first.
     */
    protected String newUser(String label) {
        return label + "-" + UUID.randomUUID();
    }

    // ---- conversations -------------------------------------------------------------------

    @Test
    public void createdGroupIsFoundWithEveryParticipant() {
        ConversationStore store = store();
        String alice = newUser("alice");
        String bob = newUser("bob");
        String carol = newUser("carol");

        Conversation created = store.createGroup(alice, "Weekend trip", ordered(alice, bob, carol), T0);

        assertTrue(created.group());
        assertEquals("Weekend trip", created.title());
        assertEquals(alice, created.createdBy());
        assertEquals(T0, created.createdAt());
        assertEquals(Set.of(alice, bob, carol), Set.copyOf(created.participantIds()));
        assertEquals(3, created.participantIds().size());

        Conversation found = store.find(created.id()).orElseThrow();
        assertEquals(created.id(), found.id());
        assertEquals("Weekend trip", found.title());
        assertTrue(found.group());
        assertEquals(alice, found.createdBy());
        assertEquals(T0, found.createdAt());
        assertEquals(Set.of(alice, bob, carol), Set.copyOf(found.participantIds()));
        assertEquals(3, found.participantIds().size());
        assertEquals(found.participantIds(), store.find(created.id()).orElseThrow().participantIds(),
                "participant order is stable");
    }

    @Test
    public void everyGroupIsANewConversation() {
        ConversationStore store = store();
        String alice = newUser("alice");
        String bob = newUser("bob");
        String carol = newUser("carol");

        Conversation first = store.createGroup(alice, "Same", ordered(alice, bob, carol), T0);
        Conversation second = store.createGroup(alice, "Same", ordered(alice, bob, carol), T0);

        assertNotEquals(first.id(), second.id());
    }

    @Test
    public void unknownIdsFindNothing() {
        ConversationStore store = store();

        assertEquals(Optional.empty(), store.find(UUID.randomUUID()));
        assertEquals(Optional.empty(), store.findMessage(UUID.randomUUID()));
        assertEquals(Optional.empty(), store.findDirect(newUser("nobody"), newUser("noone")));
    }

    @Test
    public void directConversationIsCreatedOnceWhicheverUserAsks() {
        ConversationStore store = store();
        String alice = newUser("alice");
        String bob = newUser("bob");

        Conversation created = store.findOrCreateDirect(alice, bob, T0);
        Conversation again = store.findOrCreateDirect(bob, alice, T0.plusSeconds(60));
        Conversation third = store.findOrCreateDirect(alice, bob, T0.plusSeconds(120));

        assertFalse(created.group());
        assertEquals("", created.title());
        assertEquals(alice, created.createdBy());
        assertEquals(T0, created.createdAt());
        assertEquals(Set.of(alice, bob), Set.copyOf(created.participantIds()));
        assertEquals(2, created.participantIds().size());
        assertEquals(created.id(), again.id());
        assertEquals(created.id(), third.id());
        assertEquals(alice, again.createdBy(), "the existing conversation is returned unchanged");
        assertEquals(T0, again.createdAt());
        assertEquals(Optional.of(created.id()), store.findDirect(alice, bob));
        assertEquals(Optional.of(created.id()), store.findDirect(bob, alice));
        assertFalse(store.find(created.id()).orElseThrow().group());
    }

    @Test
    public void directConversationsAreKeptPerPair() {
        ConversationStore store = store();
        String alice = newUser("alice");
        String bob = newUser("bob");
        String carol = newUser("carol");

        UUID aliceBob = store.findOrCreateDirect(alice, bob, T0).id();
        UUID aliceCarol = store.findOrCreateDirect(carol, alice, T0).id();

        assertNotEquals(aliceBob, aliceCarol);
        assertEquals(Optional.of(aliceCarol), store.findDirect(alice, carol));
        assertEquals(Optional.empty(), store.findDirect(bob, carol));
    }

    @Test
    public void groupOfTwoIsNotTheirDirectConversation() {
        ConversationStore store = store();
        String alice = newUser("alice");
        String bob = newUser("bob");

        Conversation group = store.createGroup(alice, "Just us", ordered(alice, bob), T0);

        assertEquals(Optional.empty(), store.findDirect(alice, bob));
        Conversation direct = store.findOrCreateDirect(alice, bob, T0);
        assertNotEquals(group.id(), direct.id());
        assertFalse(direct.group());
    }

    @Test
    public void concurrentDirectCreatesForOnePairEndWithOneConversation() throws Exception {
        ConversationStore store = store();
        String alice = newUser("alice");
        String bob = newUser("bob");

        List<UUID> ids = Concurrently.run(16, i -> (i % 2 == 0
                ? store.findOrCreateDirect(alice, bob, T0)
                : store.findOrCreateDirect(bob, alice, T0)).id());

        Set<UUID> distinct = new HashSet<>(ids);
        assertEquals(1, distinct.size(), "every caller got the same conversation: " + distinct);
        assertEquals(Optional.of(ids.get(0)), store.findDirect(alice, bob));
        store.append(ids.get(0), alice, "t1", "hi", T0);
        assertEquals(1, store.activityOf(alice).size(), "one conversation for the pair");
    }

    // ---- append ------------------------------------------------------------------------------

    @Test
    public void appendStoresMessagesAsOneTwoThree() {
        ConversationStore store = store();
        String alice = newUser("alice");
        String bob = newUser("bob");
        UUID conversation = store.findOrCreateDirect(alice, bob, T0).id();

        Appended first = store.append(conversation, alice, "t-1", "hello", T0.plusSeconds(1));
        Appended second = store.append(conversation, bob, "t-2", "hi alice", T0.plusSeconds(2));
        Appended third = store.append(conversation, alice, "t-3", "how are you?", T0.plusSeconds(3));

        assertTrue(first.created());
        assertTrue(second.created());
        assertTrue(third.created());
        assertEquals(List.of(1L, 2L, 3L),
                List.of(first.message().seq(), second.message().seq(), third.message().seq()));
        Message message = second.message();
        assertEquals(conversation, message.conversationId());
        assertEquals(bob, message.senderId());
        assertEquals("hi alice", message.content());
        assertEquals(T0.plusSeconds(2), message.sentAt());
        assertEquals("t-2", message.tempMessageId());
        assertEquals(3, Set.of(first.message().id(), second.message().id(), third.message().id()).size());
    }

    @Test
    public void findMessageReturnsTheStoredMessage() {
        ConversationStore store = store();
        String alice = newUser("alice");
        String bob = newUser("bob");
        UUID conversation = store.findOrCreateDirect(alice, bob, T0).id();
        String content = "héllo 😀 世界 \"quoted\" \\ ' \n new line";

        Message stored = store.append(conversation, alice, "t-1", content, T0).message();

        assertEquals(Optional.of(stored), store.findMessage(stored.id()));
        assertEquals(content, store.findMessage(stored.id()).orElseThrow().content());
    }

    @Test
    public void sequenceNumbersArePerConversation() {
        ConversationStore store = store();
        String alice = newUser("alice");
        String bob = newUser("bob");
        String carol = newUser("carol");
        UUID withBob = store.findOrCreateDirect(alice, bob, T0).id();
        UUID withCarol = store.findOrCreateDirect(alice, carol, T0).id();

        store.append(withBob, alice, "t-1", "one", T0);
        store.append(withBob, alice, "t-2", "two", T0);
        Message firstWithCarol = store.append(withCarol, alice, "t-3", "one", T0).message();

        assertEquals(1, firstWithCarol.seq());
    }

    @Test
    public void concurrentAppendsGetConsecutiveSequenceNumbersWithoutGapsOrDuplicates() throws Exception {
        ConversationStore store = store();
        // A race shows only sometimes; a few rounds make a missed one unlikely.
        for (int round = 0; round < 3; round++) {
            concurrentAppendsToOneConversation(store, 16, 50);
        }
    }

    private void concurrentAppendsToOneConversation(ConversationStore store, int threads, int perThread)
            throws Exception {
        String alice = newUser("alice");
        String bob = newUser("bob");
        String carol = newUser("carol");
        List<String> senders = List.of(alice, bob, carol);
        UUID conversation = store.createGroup(alice, "Busy", ordered(alice, bob, carol), T0).id();

        List<List<Message>> perThreadMessages = Concurrently.run(threads, index -> {
            List<Message> mine = new ArrayList<>();
            for (int i = 0; i < perThread; i++) {
                Appended appended = store.append(conversation, senders.get(index % senders.size()),
                        "thread-" + index + "-msg-" + i, "message " + index + "/" + i, T0.plusMillis(i));
                assertTrue(appended.created());
                mine.add(appended.message());
            }
            return mine;
        });

        int total = threads * perThread;
        List<Long> seqs = perThreadMessages.stream().flatMap(List::stream).map(Message::seq).sorted().toList();
        assertEquals(LongStream.rangeClosed(1, total).boxed().toList(), seqs);
        for (List<Message> mine : perThreadMessages) {
            for (int i = 1; i < mine.size(); i++) {
                assertTrue(mine.get(i).seq() > mine.get(i - 1).seq(), "one thread's messages keep their order");
            }
        }
        List<Message> stored = new ArrayList<>();
        for (int offset = 0; offset < total; offset += 100) {
            stored.addAll(store.newest(conversation, offset, 100));
        }
        assertEquals(LongStream.rangeClosed(1, total).map(s -> total + 1 - s).boxed().toList(), seqs(stored));
        assertEquals(total, stored.stream().map(Message::id).distinct().count());
        assertEquals(List.of(), store.newest(conversation, total, 100));
    }

    @Test
    public void appendIsIdempotentPerSenderAndTempMessageId() {
        ConversationStore store = store();
        String alice = newUser("alice");
        String bob = newUser("bob");
        UUID conversation = store.findOrCreateDirect(alice, bob, T0).id();

        Appended first = store.append(conversation, alice, "tmp-42", "hello", T0);
        Appended retry = store.append(conversation, alice, "tmp-42", "hello (edited on retry)", T0.plusSeconds(5));

        assertTrue(first.created());
        assertFalse(retry.created());
        assertEquals(first.message(), retry.message(), "the retry answers with the stored message");
        assertEquals(List.of(first.message()), store.newest(conversation, 0, 10), "nothing stored twice");
        Appended next = store.append(conversation, alice, "tmp-43", "next", T0.plusSeconds(6));
        assertEquals(2, next.message().seq(), "a retry uses up no sequence number");
    }

    @Test
    public void sameTempMessageIdFromAnotherSenderIsAnotherMessage() {
        ConversationStore store = store();
        String alice = newUser("alice");
        String bob = newUser("bob");
        UUID conversation = store.findOrCreateDirect(alice, bob, T0).id();

        Appended fromAlice = store.append(conversation, alice, "1", "from alice", T0);
        Appended fromBob = store.append(conversation, bob, "1", "from bob", T0);

        assertTrue(fromAlice.created());
        assertTrue(fromBob.created());
        assertNotEquals(fromAlice.message().id(), fromBob.message().id());
        assertEquals(List.of(2L, 1L), seqs(store.newest(conversation, 0, 10)));
    }

    @Test
    public void concurrentRetriesOfOneSendStoreOneMessage() throws Exception {
        ConversationStore store = store();
        String alice = newUser("alice");
        String bob = newUser("bob");
        UUID conversation = store.findOrCreateDirect(alice, bob, T0).id();

        List<Appended> results = Concurrently.run(16,
                () -> store.append(conversation, alice, "same-temp-id", "only once", T0));

        assertEquals(1, results.stream().filter(Appended::created).count(), "exactly one call stored it");
        assertEquals(1, results.stream().map(a -> a.message().id()).distinct().count(),
                "every call answered with the stored message");
        List<Message> stored = store.newest(conversation, 0, 100);
        assertEquals(1, stored.size());
        assertEquals(1, stored.get(0).seq());
        assertEquals("only once", stored.get(0).content());
    }

    @Test
    public void appendMovesTheSendersWatermarkOnly() {
        ConversationStore store = store();
        String alice = newUser("alice");
        String bob = newUser("bob");
        UUID conversation = store.findOrCreateDirect(alice, bob, T0).id();

        store.append(conversation, alice, "a1", "one", T0);
        store.append(conversation, alice, "a2", "two", T0.plusSeconds(1));

        assertEquals(2, activity(store, alice, conversation).lastReadSeq());
        assertEquals(0, activity(store, bob, conversation).lastReadSeq());

        store.append(conversation, bob, "b1", "three", T0.plusSeconds(2));

        assertEquals(2, activity(store, alice, conversation).lastReadSeq());
        assertEquals(3, activity(store, bob, conversation).lastReadSeq());
    }

    // ---- paging ------------------------------------------------------------------------------

    @Test
    public void newestSkipsOffsetAndTakesLimitNewestFirst() {
        ConversationStore store = store();
        UUID conversation = conversationWithMessages(store, 5);

        assertEquals(List.of(5L, 4L, 3L, 2L, 1L), seqs(store.newest(conversation, 0, 100)));
        assertEquals(List.of(5L), seqs(store.newest(conversation, 0, 1)));
        assertEquals(List.of(5L, 4L), seqs(store.newest(conversation, 0, 2)));
        assertEquals(List.of(3L, 2L), seqs(store.newest(conversation, 2, 2)));
        assertEquals(List.of(1L), seqs(store.newest(conversation, 4, 2)), "a short last page");
        assertEquals(List.of(5L, 4L, 3L, 2L, 1L), seqs(store.newest(conversation, 0, 5)));
        assertEquals(List.of(), store.newest(conversation, 5, 2), "offset at the end");
        assertEquals(List.of(), store.newest(conversation, 1000, 100), "offset past the end");
    }

    @Test
    public void newestOfAConversationWithoutMessagesIsEmpty() {
        ConversationStore store = store();
        UUID conversation = store.findOrCreateDirect(newUser("alice"), newUser("bob"), T0).id();

        assertEquals(List.of(), store.newest(conversation, 0, 20));
        assertEquals(List.of(), store.before(conversation, 1, 20));
    }

    @Test
    public void newestReturnsWholeMessages() {
        ConversationStore store = store();
        String alice = newUser("alice");
        String bob = newUser("bob");
        UUID conversation = store.findOrCreateDirect(alice, bob, T0).id();
        Message first = store.append(conversation, alice, "t1", "first", T0).message();
        Message second = store.append(conversation, bob, "t2", "second", T0.plusMillis(1)).message();

        assertEquals(List.of(second, first), store.newest(conversation, 0, 20));
        assertEquals(List.of(first), store.before(conversation, second.seq(), 20));
    }

    @Test
    public void beforeTakesTheMessagesJustOlderNewestFirst() {
        ConversationStore store = store();
        UUID conversation = conversationWithMessages(store, 5);

        assertEquals(List.of(2L, 1L), seqs(store.before(conversation, 3, 10)));
        assertEquals(List.of(4L, 3L), seqs(store.before(conversation, 5, 2)));
        assertEquals(List.of(4L), seqs(store.before(conversation, 5, 1)));
        assertEquals(List.of(1L), seqs(store.before(conversation, 2, 100)));
        assertEquals(List.of(), store.before(conversation, 1, 10), "nothing is older than the first");
    }

    @Test
    public void beforeASequenceNumberBeyondTheLatestStartsAtTheLatest() {
        ConversationStore store = store();
        UUID conversation = conversationWithMessages(store, 5);

        assertEquals(List.of(5L, 4L, 3L), seqs(store.before(conversation, 6, 3)));
        assertEquals(List.of(5L, 4L, 3L, 2L, 1L), seqs(store.before(conversation, 1_000_000, 100)));
    }

    @Test
    public void beforeIsStableWhileNewMessagesArrive() {
        ConversationStore store = store();
        String alice = newUser("alice");
        String bob = newUser("bob");
        UUID conversation = store.findOrCreateDirect(alice, bob, T0).id();
        for (int i = 1; i <= 4; i++) {
            store.append(conversation, alice, "t" + i, "m" + i, T0.plusSeconds(i));
        }
        List<Message> page = store.before(conversation, 3, 10);

        store.append(conversation, bob, "late", "arrived later", T0.plusSeconds(10));

        assertEquals(page, store.before(conversation, 3, 10));
    }

    // ---- read watermarks -------------------------------------------------------------------

    @Test
    public void markReadMovesTheWatermarkToTheLatestMessageAndReturnsIt() {
        ConversationStore store = store();
        String alice = newUser("alice");
        String bob = newUser("bob");
        UUID conversation = store.findOrCreateDirect(alice, bob, T0).id();
        for (int i = 1; i <= 3; i++) {
            store.append(conversation, alice, "t" + i, "m" + i, T0.plusSeconds(i));
        }

        assertEquals(3, store.markRead(conversation, bob));
        assertEquals(3, activity(store, bob, conversation).lastReadSeq());
        assertEquals(3, store.markRead(conversation, bob), "reading again changes nothing");

        store.append(conversation, alice, "t4", "m4", T0.plusSeconds(4));
        store.append(conversation, alice, "t5", "m5", T0.plusSeconds(5));
        assertEquals(3, activity(store, bob, conversation).lastReadSeq(), "new messages are unread");
        assertEquals(5, store.markRead(conversation, bob));
        assertEquals(5, activity(store, bob, conversation).lastReadSeq());
        assertEquals(5, activity(store, alice, conversation).lastReadSeq());
    }

    @Test
    public void markReadOfAConversationWithoutMessagesIsZero() {
        ConversationStore store = store();
        String alice = newUser("alice");
        UUID conversation = store.findOrCreateDirect(alice, newUser("bob"), T0).id();

        assertEquals(0, store.markRead(conversation, alice));
    }

    @Test
    public void markReadNeverMovesTheWatermarkBackwards() throws Exception {
        ConversationStore store = store();
        String alice = newUser("alice");
        String bob = newUser("bob");
        UUID conversation = store.findOrCreateDirect(alice, bob, T0).id();
        int sends = 100;

        List<List<Long>> results = Concurrently.run(3, index -> {
            List<Long> watermarks = new ArrayList<>();
            for (int i = 0; i < sends; i++) {
                if (index == 0) {
                    store.append(conversation, alice, "t" + i, "m" + i, T0.plusMillis(i));
                } else {
                    watermarks.add(store.markRead(conversation, bob));
                }
            }
            return watermarks;
        });

        for (List<Long> watermarks : results.subList(1, 3)) {
            for (int i = 1; i < watermarks.size(); i++) {
                assertTrue(watermarks.get(i) >= watermarks.get(i - 1),
                        "watermark went from " + watermarks.get(i - 1) + " to " + watermarks.get(i));
            }
        }
        assertEquals(sends, store.markRead(conversation, bob));
        assertEquals(sends, activity(store, bob, conversation).lastReadSeq());
    }

    @Test
    public void aSendersOwnMessageNeverLowersAWatermarkAlreadyPastIt() {
        ConversationStore store = store();
        String alice = newUser("alice");
        String bob = newUser("bob");
        UUID conversation = store.findOrCreateDirect(alice, bob, T0).id();
        store.append(conversation, alice, "a1", "one", T0);
        store.append(conversation, bob, "b1", "two", T0);

        assertEquals(2, store.markRead(conversation, alice));

        store.append(conversation, bob, "b2", "three", T0);
        assertEquals(2, activity(store, alice, conversation).lastReadSeq());
        assertEquals(3, activity(store, bob, conversation).lastReadSeq());
    }

    // ---- activity (the conversation list) ------------------------------------------------------

    @Test
    public void activityListsConversationsWithMessagesNewestLatestMessageFirst() {
        ConversationStore store = store();
        String alice = newUser("alice");
        String bob = newUser("bob");
        String carol = newUser("carol");
        String dave = newUser("dave");
        UUID withBob = store.findOrCreateDirect(alice, bob, T0).id();
        UUID withCarol = store.findOrCreateDirect(carol, alice, T0).id();
        UUID group = store.createGroup(bob, "Group", ordered(bob, alice, carol), T0).id();
        UUID silent = store.findOrCreateDirect(alice, dave, T0).id();

        store.append(withBob, alice, "t1", "to bob", T0.plusSeconds(1));
        store.append(withCarol, carol, "t2", "from carol", T0.plusSeconds(3));
        store.append(group, bob, "t3", "in the group", T0.plusSeconds(2));

        assertEquals(List.of(withCarol, group, withBob), ids(store.activityOf(alice)));
        assertFalse(ids(store.activityOf(alice)).contains(silent), "conversations without messages are not listed");
        assertEquals(List.of(group, withBob), ids(store.activityOf(bob)));
        assertEquals(List.of(), store.activityOf(dave));
        assertEquals(List.of(), store.activityOf(newUser("stranger")));

        store.append(withBob, bob, "t4", "bob answers", T0.plusSeconds(4));
        store.append(withBob, bob, "t5", "and again", T0.plusSeconds(5));

        assertEquals(List.of(withBob, withCarol, group), ids(store.activityOf(alice)),
                "one row per conversation, moved up by its newest message");
    }

    @Test
    public void activityCarriesTheConversationTheLatestMessageAndTheWatermark() {
        ConversationStore store = store();
        String alice = newUser("alice");
        String bob = newUser("bob");
        String carol = newUser("carol");
        Conversation group = store.createGroup(alice, "Plans", ordered(alice, bob, carol), T0);
        store.append(group.id(), alice, "t1", "first", T0.plusSeconds(1));
        store.append(group.id(), bob, "t2", "second", T0.plusSeconds(2));
        Message latest = store.append(group.id(), carol, "t3", "third", T0.plusSeconds(3)).message();
        store.markRead(group.id(), alice);
        store.append(group.id(), carol, "t4", "fourth", T0.plusSeconds(4));
        Message newest = store.append(group.id(), carol, "t5", "fifth", T0.plusSeconds(5)).message();

        ConversationActivity forAlice = activity(store, alice, group.id());
        ConversationActivity forBob = activity(store, bob, group.id());

        assertEquals(group.id(), forAlice.conversation().id());
        assertEquals("Plans", forAlice.conversation().title());
        assertTrue(forAlice.conversation().group());
        assertEquals(Set.of(alice, bob, carol), Set.copyOf(forAlice.conversation().participantIds()));
        assertEquals(newest, forAlice.latest());
        assertEquals(5, newest.seq());
        assertEquals(3, latest.seq());
        assertEquals(3, forAlice.lastReadSeq());
        assertEquals(2, forBob.lastReadSeq());
        assertEquals(5, activity(store, carol, group.id()).lastReadSeq());
    }

    // ---- catch-up, idempotency per conversation, edit and delete ------------------------------

    @Test
    public void afterTakesTheOldestMessagesJustNewerOldestFirst() {
        ConversationStore store = store();
        UUID conversation = conversationWithMessages(store, 5);

        assertEquals(List.of(3L, 4L, 5L), seqs(store.after(conversation, 2, 10)));
        assertEquals(List.of(2L, 3L), seqs(store.after(conversation, 1, 2)), "the oldest of the newer ones");
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), seqs(store.after(conversation, 0, 100)));
        assertEquals(List.of(5L), seqs(store.after(conversation, 4, 100)));
        assertEquals(List.of(), store.after(conversation, 5, 10), "nothing is newer than the latest");
        assertEquals(List.of(), store.after(conversation, 1_000, 10));
    }

    @Test
    public void afterIsStableWhileNewMessagesArriveAndReturnsWholeMessages() {
        ConversationStore store = store();
        String alice = newUser("alice");
        String bob = newUser("bob");
        UUID conversation = store.findOrCreateDirect(alice, bob, T0).id();
        Message first = store.append(conversation, alice, "t1", "first", T0).message();
        Message second = store.append(conversation, bob, "t2", "second", T0.plusMillis(1)).message();
        Message third = store.append(conversation, alice, "t3", "third", T0.plusMillis(2)).message();

        assertEquals(List.of(second, third), store.after(conversation, first.seq(), 2));
        Message fourth = store.append(conversation, bob, "t4", "fourth", T0.plusMillis(3)).message();
        assertEquals(List.of(second, third), store.after(conversation, first.seq(), 2), "the page did not move");
        assertEquals(List.of(fourth), store.after(conversation, third.seq(), 2), "the next page goes on");
    }

    @Test
    public void sameTempMessageIdInAnotherConversationIsAnotherMessage() {
        ConversationStore store = store();
        String bob = newUser("bob");
        UUID withAlice = store.findOrCreateDirect(bob, newUser("alice"), T0).id();
        UUID withCarol = store.findOrCreateDirect(bob, newUser("carol"), T0).id();

        Appended toAlice = store.append(withAlice, bob, "b1", "to alice", T0);
        Appended toCarol = store.append(withCarol, bob, "b1", "to carol", T0.plusSeconds(1));

        assertTrue(toAlice.created());
        assertTrue(toCarol.created(), "a client counter restarted: a new message, not the old one");
        assertNotEquals(toAlice.message().id(), toCarol.message().id());
        assertEquals(withCarol, toCarol.message().conversationId());
        assertEquals("to carol", toCarol.message().content());
        assertEquals(List.of(toCarol.message()), store.newest(withCarol, 0, 10));
        assertEquals(List.of(toAlice.message()), store.newest(withAlice, 0, 10));
        Appended retry = store.append(withCarol, bob, "b1", "to carol", T0.plusSeconds(2));
        assertFalse(retry.created());
        assertEquals(toCarol.message(), retry.message(), "a retry in the same conversation is still one message");
    }

    @Test
    public void storedMessagesAreNeitherEditedNorDeleted() {
        ConversationStore store = store();
        UUID conversation = conversationWithMessages(store, 1);

        Message stored = store.newest(conversation, 0, 1).get(0);

        assertEquals(null, stored.editedAt());
        assertEquals(null, stored.deletedAt());
        assertFalse(stored.deleted());
    }

    @Test
    public void editReplacesTheContentKeepingEverythingElse() {
        ConversationStore store = store();
        String alice = newUser("alice");
        String bob = newUser("bob");
        UUID conversation = store.findOrCreateDirect(alice, bob, T0).id();
        Message original = store.append(conversation, alice, "t1", "helo", T0).message();
        store.append(conversation, bob, "t2", "later", T0.plusSeconds(1));

        Message edited = store.edit(original.id(), "hello", T0.plusSeconds(9)).orElseThrow();

        assertEquals(new Message(original.id(), conversation, 1, alice, "hello", T0, "t1", T0.plusSeconds(9), null),
                edited);
        assertEquals(Optional.of(edited), store.findMessage(original.id()));
        assertEquals(List.of(1L, 2L), seqs(store.after(conversation, 0, 10)));
        assertEquals(edited, store.after(conversation, 0, 10).get(0), "pages show the new content");
        assertEquals("later", activity(store, alice, conversation).latest().content(),
                "an older message's edit leaves the latest alone");
    }

    @Test
    public void editOrDeleteOfTheLatestMessageIsWhatTheConversationListShows() {
        ConversationStore store = store();
        String alice = newUser("alice");
        String bob = newUser("bob");
        UUID conversation = store.findOrCreateDirect(alice, bob, T0).id();
        store.append(conversation, bob, "t1", "first", T0);
        Message latest = store.append(conversation, alice, "t2", "latst", T0.plusSeconds(1)).message();

        Message edited = store.edit(latest.id(), "latest", T0.plusSeconds(2)).orElseThrow();
        assertEquals(edited, activity(store, bob, conversation).latest());
        assertEquals(1, activity(store, bob, conversation).lastReadSeq(), "the watermarks stay");

        Message tombstone = store.delete(latest.id(), T0.plusSeconds(3)).orElseThrow();
        assertEquals(tombstone, activity(store, bob, conversation).latest());
        assertEquals("", activity(store, alice, conversation).latest().content());
    }

    @Test
    public void deleteLeavesATombstoneInPlace() {
        ConversationStore store = store();
        String alice = newUser("alice");
        String bob = newUser("bob");
        UUID conversation = store.findOrCreateDirect(alice, bob, T0).id();
        store.append(conversation, bob, "t1", "first", T0);
        Message doomed = store.append(conversation, alice, "t2", "oops", T0.plusSeconds(1)).message();
        store.append(conversation, bob, "t3", "third", T0.plusSeconds(2));

        Message tombstone = store.delete(doomed.id(), T0.plusSeconds(5)).orElseThrow();

        assertEquals(new Message(doomed.id(), conversation, 2, alice, "", doomed.sentAt(), "t2", null,
                T0.plusSeconds(5)), tombstone);
        assertTrue(tombstone.deleted());
        assertEquals(List.of(3L, 2L, 1L), seqs(store.newest(conversation, 0, 10)), "paging does not move");
        assertEquals(tombstone, store.newest(conversation, 0, 10).get(1));
        assertEquals(Optional.of(tombstone), store.findMessage(doomed.id()));
        assertEquals(4, store.append(conversation, alice, "t4", "next", T0.plusSeconds(6)).message().seq(),
                "sequence numbers go on");
    }

    @Test
    public void aDeletedMessageIsNeitherEditedNorDeletedAgain() {
        ConversationStore store = store();
        String alice = newUser("alice");
        UUID conversation = store.findOrCreateDirect(alice, newUser("bob"), T0).id();
        Message message = store.append(conversation, alice, "t1", "gone soon", T0).message();
        Message tombstone = store.delete(message.id(), T0.plusSeconds(1)).orElseThrow();

        assertEquals(Optional.empty(), store.edit(message.id(), "back", T0.plusSeconds(2)));
        assertEquals(Optional.empty(), store.delete(message.id(), T0.plusSeconds(3)));
        assertEquals(Optional.of(tombstone), store.findMessage(message.id()), "nothing changed");
    }

    @Test
    public void editOrDeleteOfAnUnknownMessageChangesNothing() {
        ConversationStore store = store();

        assertEquals(Optional.empty(), store.edit(UUID.randomUUID(), "x", T0));
        assertEquals(Optional.empty(), store.delete(UUID.randomUUID(), T0));
    }

    // ---- list version (validates a cached conversation list) ----------------------------------

    @Test
    public void listVersionMovesWithEveryChangeToTheListOfEachParticipant() {
        ConversationStore store = store();
        String alice = newUser("alice");
        String bob = newUser("bob");
        String carol = newUser("carol");
        String stranger = newUser("stranger");
        long strangers = store.listVersion(stranger);

        long aliceVersion = store.listVersion(alice);
        UUID direct = store.findOrCreateDirect(alice, bob, T0).id();
        aliceVersion = moved(store, alice, aliceVersion, "a conversation created with alice");
        long bobVersion = store.listVersion(bob);
        long carolVersion = store.listVersion(carol);

        Message first = store.append(direct, alice, "t1", "hello", T0.plusSeconds(1)).message();
        aliceVersion = moved(store, alice, aliceVersion, "a message alice sent");
        bobVersion = moved(store, bob, bobVersion, "a message bob received");
        assertEquals(carolVersion, store.listVersion(carol), "carol's list is not about this conversation");

        store.activityOf(alice);
        store.activityOf(bob);
        store.newest(direct, 0, 10);
        store.findMessage(first.id());
        assertEquals(aliceVersion, store.listVersion(alice), "reading changes no list");
        assertEquals(bobVersion, store.listVersion(bob), "reading changes no list");

        store.markRead(direct, bob);
        bobVersion = moved(store, bob, bobVersion, "bob read the conversation");

        store.edit(first.id(), "hello!", T0.plusSeconds(2)).orElseThrow();
        aliceVersion = moved(store, alice, aliceVersion, "the latest message edited");
        bobVersion = moved(store, bob, bobVersion, "the latest message edited");

        store.delete(first.id(), T0.plusSeconds(3)).orElseThrow();
        aliceVersion = moved(store, alice, aliceVersion, "the latest message deleted");
        bobVersion = moved(store, bob, bobVersion, "the latest message deleted");

        UUID group = store.createGroup(carol, "Group", ordered(carol, alice, bob), T0).id();
        carolVersion = moved(store, carol, carolVersion, "a group created by carol");
        aliceVersion = moved(store, alice, aliceVersion, "a group created with alice");
        store.append(group, carol, "t2", "hi all", T0.plusSeconds(4));
        moved(store, alice, aliceVersion, "a message in alice's group");
        moved(store, bob, bobVersion, "a message in bob's group");
        moved(store, carol, carolVersion, "a message carol sent to her group");

        assertEquals(strangers, store.listVersion(stranger), "a user in none of them keeps the version");
    }

    /** The version of {@code userId}'s list, which must differ from {@code before}. */
    private static long moved(ConversationStore store, String userId, long before, String because) {
        long after = store.listVersion(userId);
        assertNotEquals(before, after, because + " changes the list version");
        return after;
    }

    // ---- helpers -------------------------------------------------------------------------------

    private UUID conversationWithMessages(ConversationStore store, int count) {
        String alice = newUser("alice");
        String bob = newUser("bob");
        UUID conversation = store.findOrCreateDirect(alice, bob, T0).id();
        for (int i = 1; i <= count; i++) {
            store.append(conversation, i % 2 == 0 ? bob : alice, "t" + i, "message " + i, T0.plusSeconds(i));
        }
        return conversation;
    }

    private static ConversationActivity activity(ConversationStore store, String userId, UUID conversationId) {
        List<ConversationActivity> matching = store.activityOf(userId).stream()
                .filter(a -> a.conversation().id().equals(conversationId))
                .toList();
        assertEquals(1, matching.size(), "one row for the conversation in " + userId + "'s activity");
        return matching.get(0);
    }

    private static Set<String> ordered(String... userIds) {
        return new LinkedHashSet<>(List.of(userIds));
    }

    private static List<Long> seqs(List<Message> messages) {
        return messages.stream().map(Message::seq).toList();
    }

    private static List<UUID> ids(List<ConversationActivity> activity) {
        return activity.stream().map(a -> a.conversation().id()).collect(Collectors.toList());
    }
}
