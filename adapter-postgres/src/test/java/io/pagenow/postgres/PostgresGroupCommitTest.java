package io.pagenow.postgres;

import io.pagenow.core.chat.Appended;
import io.pagenow.core.chat.Conversation;
import io.pagenow.core.chat.ConversationActivity;
import io.pagenow.core.chat.Message;
import io.pagenow.core.chat.port.out.ConversationStore;
import io.pagenow.core.error.StoreUnavailableException;
import io.pagenow.core.testing.Concurrently;
import io.pagenow.db.testing.TcpProxy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Appends that share a transaction keep every guarantee of a lone one. A batch is gathered for
 * certain by holding the writer: a connection of the test's own locks a conversation, an append to
 * it keeps the writer waiting, the appends under test queue up (in a known order), and releasing
 * the lock lets the writer take them all at once.
 */
class PostgresGroupCommitTest {

    private static final Instant T = Instant.parse("2026-03-01T08:30:15.123Z");

    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final String alice = "alice-" + run;
    private final String bob = "bob-" + run;
    private final String carol = "carol-" + run;

    @AfterEach
    void stopThreads() throws InterruptedException {
        threads.shutdownNow();
        assertTrue(threads.awaitTermination(30, TimeUnit.SECONDS));
    }

    @Test
    void oneBatchKeepsOrderGapsIdempotencyWatermarksAndTheLatestCopy() throws Exception {
        try (TestStores db = TestStores.open("group_commit", 4, Duration.ofSeconds(3), Duration.ofSeconds(20))) {
            ConversationStore store = db.stores.conversations();
            Conversation group = store.createGroup(alice, "g", new LinkedHashSet<>(List.of(alice, bob, carol)), T);
            Conversation direct = store.findOrCreateDirect(alice, bob, T);
            Message pre = store.append(group.id(), alice, "pre", "before the batch", T).message();
            UUID unknown = UUID.randomUUID();

            List<Outcome> r = gatherBatch(db, List.of(
                    () -> store.append(group.id(), alice, "a1", "hello", T),         // 0
                    () -> store.append(direct.id(), bob, "b1", "hi alice", T),       // 1
                    () -> store.append(group.id(), alice, "a1", "hello", T),         // 2: the same send again
                    () -> store.append(group.id(), carol, "c1", "hey", T),           // 3
                    () -> store.append(group.id(), alice, "pre", "before the batch", T), // 4: a retry of a stored one
                    () -> store.append(unknown, bob, "b2", "to nowhere", T),         // 5
                    () -> store.append(group.id(), bob, "b3", "yo", T),              // 6
                    () -> store.append(direct.id(), alice, "a2", "hi bob", T)));     // 7

            assertInstanceOf(IllegalArgumentException.class, r.get(5).failure(), "only the unknown conversation fails");
            Appended a1 = r.get(0).appended();
            assertTrue(a1.created());
            assertFalse(r.get(2).appended().created());
            assertEquals(a1.message(), r.get(2).appended().message(), "the second identical send answers the first");
            assertFalse(r.get(4).appended().created());
            assertEquals(pre, r.get(4).appended().message(), "a retry answers the stored message");

            Message c1 = r.get(3).appended().message();
            Message b3 = r.get(6).appended().message();
            Message b1 = r.get(1).appended().message();
            Message a2 = r.get(7).appended().message();
            assertEquals(List.of(2L, 3L, 4L), List.of(a1.message().seq(), c1.seq(), b3.seq()),
                    "a conversation's appends in arrival order, after what was stored before, without gaps");
            assertEquals(List.of(1L, 2L), List.of(b1.seq(), a2.seq()));
            assertEquals(List.of(b3, c1, a1.message(), pre), store.newest(group.id(), 0, 10));
            assertEquals(List.of(a2, b1), store.newest(direct.id(), 0, 10));

            Map<UUID, ConversationActivity> aliceSees = byConversation(store.activityOf(alice));
            assertEquals(b3, aliceSees.get(group.id()).latest(), "the latest copy is the newest message");
            assertEquals(a2, aliceSees.get(direct.id()).latest());
            assertEquals(2, aliceSees.get(group.id()).lastReadSeq(), "alice's watermark: her own a1");
            assertEquals(2, aliceSees.get(direct.id()).lastReadSeq());
            assertEquals(4, byConversation(store.activityOf(bob)).get(group.id()).lastReadSeq());
            assertEquals(1, byConversation(store.activityOf(bob)).get(direct.id()).lastReadSeq());
            assertEquals(3, byConversation(store.activityOf(carol)).get(group.id()).lastReadSeq());

            assertEquals(1, count(db, "SELECT count(DISTINCT xmin::text) FROM message_table WHERE message_id IN (?, ?, ?, ?, ?)",
                    a1.message().id(), b1.id(), c1.id(), b3.id(), a2.id()), "they were stored by one transaction");
            assertEquals(6, count(db, "SELECT count(*) FROM message_table WHERE conversation_id IN (?, ?)",
                    group.id(), direct.id()), "the one before and five of the batch");
        }
    }

    @Test
    void anAppendTheDatabaseRefusesFailsOnlyItself() throws Exception {
        try (TestStores db = TestStores.open("group_commit_refused", 4, Duration.ofSeconds(3), Duration.ofSeconds(20))) {
            ConversationStore store = db.stores.conversations();
            Conversation group = store.createGroup(alice, "g", new LinkedHashSet<>(List.of(alice, bob)), T);
            String tooLong = "x".repeat(200);   // sender_id is varchar(128)

            List<Outcome> r = gatherBatch(db, List.of(
                    () -> store.append(group.id(), alice, "a1", "first", T),
                    () -> store.append(group.id(), tooLong, "x1", "refused", T),
                    () -> store.append(group.id(), bob, "b1", "second", T)));

            assertInstanceOf(IllegalStateException.class, r.get(1).failure());
            assertEquals(1, r.get(0).appended().message().seq());
            assertEquals(2, r.get(2).appended().message().seq());
            assertEquals(List.of(r.get(2).appended().message(), r.get(0).appended().message()),
                    store.newest(group.id(), 0, 10));
        }
    }

    @Test
    void manyConcurrentSendersAndRacingRetriesStoreEachSendOnceWithoutGaps() throws Exception {
        int threadCount = 32;
        int senders = 16;
        int perThread = 20;
        int conversations = 4;
        try (TestStores db = TestStores.open("group_commit_concurrent", 4, Duration.ofSeconds(3),
                Duration.ofSeconds(5))) {
            ConversationStore store = db.stores.conversations();
            List<String> senderIds = IntStream.range(0, senders).mapToObj(i -> "s" + i + "-" + run).toList();
            List<UUID> groups = new ArrayList<>();
            for (int g = 0; g < conversations; g++) {
                groups.add(store.createGroup(senderIds.get(0), "g" + g, new LinkedHashSet<>(senderIds), T).id());
            }

            // Threads i and i + 16 are one sender sending the same messages: every send races its twin.
            List<List<Appended>> results = Concurrently.run(threadCount, i -> {
                String sender = senderIds.get(i % senders);
                List<Appended> mine = new ArrayList<>();
                for (int k = 0; k < perThread; k++) {
                    mine.add(store.append(groups.get(k % conversations), sender, "t" + k, "m" + k, T));
                }
                return mine;
            });

            for (int i = 0; i < senders; i++) {
                for (int k = 0; k < perThread; k++) {
                    Appended one = results.get(i).get(k);
                    Appended twin = results.get(i + senders).get(k);
                    assertEquals(one.message(), twin.message(), "both twins get the one stored message");
                    assertTrue(one.created() ^ twin.created(), "exactly one of the twins stored it");
                }
            }
            Map<UUID, List<Long>> seqs = new HashMap<>();
            for (int i = 0; i < senders; i++) {
                for (Appended a : results.get(i)) {
                    seqs.computeIfAbsent(a.message().conversationId(), id -> new ArrayList<>()).add(a.message().seq());
                }
            }
            long perConversation = (long) senders * perThread / conversations;
            for (UUID id : groups) {
                assertEquals(LongStream.rangeClosed(1, perConversation).boxed().toList(),
                        seqs.get(id).stream().sorted().toList(), "gap-free, no duplicates");
                assertEquals(perConversation, count(db, "SELECT count(*) FROM message_table WHERE conversation_id = ?", id));
                assertEquals(perConversation, store.activityOf(senderIds.get(0)).stream()
                        .filter(a -> a.conversation().id().equals(id)).findFirst().orElseThrow().latest().seq(),
                        "the latest copy is the newest message");
            }
            for (int i = 0; i < senders; i++) {
                List<Appended> mine = results.get(i);
                for (int k = conversations; k < perThread; k++) {
                    assertTrue(mine.get(k).message().seq() > mine.get(k - conversations).message().seq(),
                            "a sender's messages keep their order in a conversation");
                }
                Map<UUID, Long> ownLatest = mine.stream().map(Appended::message)
                        .collect(Collectors.toMap(Message::conversationId, Message::seq, Math::max));
                for (ConversationActivity activity : store.activityOf(senderIds.get(i))) {
                    assertEquals(ownLatest.get(activity.conversation().id()), activity.lastReadSeq(),
                            "each sender's watermark is its own latest message");
                }
            }
        }
    }

    @Test
    void anOutageFailsEveryWaitingSendAndTheStoreRecovers() throws Exception {
        try (TestStores db = TestStores.open("group_commit_outage"); TcpProxy proxy = TcpProxy.start(db.schema.address());
             PostgresStores stores = PostgresStores.open(new PostgresConfig(
                     db.schema.jdbcUrlAt("127.0.0.1", proxy.port()), db.schema.user(), db.schema.password(), 4, false,
                     Duration.ofMillis(500), Duration.ofSeconds(2)))) {
            ConversationStore store = stores.conversations();
            Conversation group = store.createGroup(alice, "g", new LinkedHashSet<>(List.of(alice, bob)), T);
            assertEquals(1, store.append(group.id(), alice, "t0", "before", T).message().seq());

            proxy.stop();
            List<Throwable> failures = Concurrently.run(16, i -> {
                try {
                    store.append(group.id(), i % 2 == 0 ? alice : bob, "out" + i, "in the outage", T);
                    return null;
                } catch (RuntimeException e) {
                    return e;
                }
            });
            failures.forEach(f -> assertInstanceOf(StoreUnavailableException.class, f));

            proxy.restart();
            // Connections broken by the outage are dropped as they fail, and the store's circuit,
            // opened by the outage, lets a call through again within a second: bounded retries.
            Appended after = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (after == null && System.nanoTime() < deadline) {
                try {
                    after = store.append(group.id(), alice, "t1", "after", T);
                } catch (StoreUnavailableException e) {
                    // a connection broken by the outage, or the circuit still open
                    Thread.onSpinWait();
                }
            }
            assertTrue(after != null && after.created(), "sends are stored again once the database is back");
            assertEquals(2, after.message().seq(), "nothing of the outage was stored, no gap");
            List<Appended> concurrent = Concurrently.run(8, i -> store.append(group.id(), bob, "again" + i, "x", T));
            assertEquals(LongStream.rangeClosed(3, 10).boxed().toList(),
                    concurrent.stream().map(a -> a.message().seq()).sorted().toList());
        }
    }

    /** One call's answer or failure. */
    private record Outcome(Appended appended, Throwable failure) {
    }

    /**
     * Holds the writer on a conversation of its own, queues {@code calls} in their order, then lets
     * the writer take them as one batch; returns each call's outcome, by index.
     */
    private List<Outcome> gatherBatch(TestStores db, List<Callable<Appended>> calls) throws Exception {
        PostgresConversationStore store = db.stores.conversationStore();
        Conversation blocker = store.findOrCreateDirect("blocker-" + run, "other-" + run, T);
        List<Future<Appended>> futures = new ArrayList<>();
        Future<Appended> held;
        try (Connection holder = db.schema.connect()) {
            holder.setAutoCommit(false);
            try (PreparedStatement p = holder.prepareStatement(
                    "SELECT 1 FROM conversation_table WHERE conversation_id = ? FOR UPDATE")) {
                p.setObject(1, blocker.id());
                p.executeQuery().close();
            }
            held = threads.submit(() -> store.append(blocker.id(), "blocker-" + run, "b", "hold", T));
            awaitBlockedBy(db, backendPid(holder));
            for (Callable<Appended> call : calls) {
                futures.add(threads.submit(call));
                int expected = futures.size();
                await(() -> store.waitingAppends() == expected, "append " + expected + " never queued");
            }
            holder.rollback();
        }
        assertTrue(held.get(60, TimeUnit.SECONDS).created());
        List<Outcome> outcomes = new ArrayList<>();
        for (Future<Appended> future : futures) {
            try {
                outcomes.add(new Outcome(future.get(60, TimeUnit.SECONDS), null));
            } catch (ExecutionException e) {
                outcomes.add(new Outcome(null, e.getCause()));
            }
        }
        return outcomes;
    }

    private static Map<UUID, ConversationActivity> byConversation(List<ConversationActivity> activities) {
        return activities.stream().collect(Collectors.toMap(a -> a.conversation().id(), a -> a));
    }

    private static void await(java.util.function.BooleanSupplier condition, String message) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(message);
            }
            Thread.yield();
        }
    }

    private static int backendPid(Connection c) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT pg_backend_pid()"); ResultSet rs = p.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** Returns once some backend waits for a lock {@code holderPid} holds; fails after ten seconds. */
    private static void awaitBlockedBy(TestStores db, int holderPid) throws SQLException {
        try (Connection c = db.schema.connect(); PreparedStatement p = c.prepareStatement(
                "SELECT count(*) FROM pg_stat_activity WHERE ? = ANY(pg_blocking_pids(pid))")) {
            p.setInt(1, holderPid);
            await(() -> {
                try (ResultSet rs = p.executeQuery()) {
                    rs.next();
                    return rs.getLong(1) > 0;
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            }, "the writer never waited for the lock");
        }
    }

    private static long count(TestStores db, String sql, Object... args) throws SQLException {
        try (Connection c = db.schema.connect(); PreparedStatement p = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                p.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
