package io.pagenow.postgres;

import io.pagenow.core.chat.Appended;
import io.pagenow.core.chat.Conversation;
import io.pagenow.core.chat.Message;
import io.pagenow.core.chat.port.out.ConversationStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Many server threads at once on one conversation, one pair, one retried send. */
class PostgresConcurrencyTest {

    private static final Instant T = Instant.parse("2026-03-01T08:30:15.123Z");
    private static final int THREADS = 8;

    private static TestStores db;
    private static ConversationStore store;
    private final ExecutorService pool = Executors.newFixedThreadPool(THREADS);

    @BeforeAll
    static void openStores() {
        db = TestStores.open("concurrency", THREADS, PostgresConfig.DEFAULT_CONNECTION_TIMEOUT,
                PostgresConfig.DEFAULT_STATEMENT_TIMEOUT);
        store = db.stores.conversations();
    }

    @AfterAll
    static void closeStores() {
        db.close();
    }

    @AfterEach
    void stopThreads() throws InterruptedException {
        pool.shutdownNow();
        assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
    }

    @Test
    void concurrentSendersGetDistinctConsecutiveSequenceNumbers() throws Exception {
        List<String> senders = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            senders.add("sender" + i + "-" + UUID.randomUUID());
        }
        Conversation group = store.createGroup(senders.get(0), "busy", new LinkedHashSet<>(senders), T);
        int perSender = 25;

        List<List<Message>> sent = all(senders.stream().map(sender -> (Callable<List<Message>>) () -> {
            List<Message> mine = new ArrayList<>();
            for (int i = 0; i < perSender; i++) {
                mine.add(store.append(group.id(), sender, "t" + i, "message " + i, T).message());
            }
            return mine;
        }).toList());

        List<Long> seqs = sent.stream().flatMap(List::stream).map(Message::seq).sorted().toList();
        assertEquals(LongStream.rangeClosed(1, THREADS * perSender).boxed().toList(), seqs);
        for (List<Message> mine : sent) {
            for (int i = 1; i < mine.size(); i++) {
                assertTrue(mine.get(i).seq() > mine.get(i - 1).seq(), "a sender's messages keep their order");
            }
        }
        List<Message> stored = new ArrayList<>(store.newest(group.id(), 0, 100));
        stored.addAll(store.newest(group.id(), 100, 100));
        assertEquals(THREADS * perSender, stored.size());
        assertEquals(sent.stream().flatMap(List::stream).collect(Collectors.toSet()), new HashSet<>(stored));
        for (String sender : senders) {
            long lastOwn = sent.get(senders.indexOf(sender)).get(perSender - 1).seq();
            long watermark = store.activityOf(sender).get(0).lastReadSeq();
            assertEquals(lastOwn, watermark, "each sender's watermark is its own latest message");
        }
    }

    /**
     * Two nodes (two stores, two append writers) sending, reading and editing at once in
     * conversations that share users: each transaction increments several users' list versions,
     * and none may deadlock or fail; every list version ends past where it started.
     */
    @Test
    void twoNodesChangingOverlappingListsAtOnceNeverFail() throws Exception {
        List<String> users = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            users.add("overlap" + i + "-" + UUID.randomUUID());
        }
        List<Conversation> conversations = new ArrayList<>();
        for (int a = 0; a < users.size(); a++) {
            for (int b = a + 1; b < users.size(); b++) {
                conversations.add(store.findOrCreateDirect(users.get(a), users.get(b), T));
            }
            conversations.add(store.createGroup(users.get(a), "group " + a, new LinkedHashSet<>(List.of(users.get(a),
                    users.get((a + 1) % users.size()), users.get((a + 3) % users.size()))), T));
        }
        List<Long> versionsBefore = users.stream().map(store::listVersion).toList();
        try (PostgresStores otherNode = PostgresStores.open(new PostgresConfig(db.schema.jdbcUrl(), db.schema.user(),
                db.schema.password(), THREADS, false))) {
            List<ConversationStore> nodes = List.of(store, otherNode.conversations());
            int rounds = 30;
            all(LongStream.range(0, THREADS).mapToObj(t -> (Callable<Integer>) () -> {
                ConversationStore node = nodes.get((int) (t % 2));
                for (int i = 0; i < rounds; i++) {
                    Conversation conversation = conversations.get((int) ((t * 7 + i) % conversations.size()));
                    String sender = conversation.participantIds().get(i % conversation.participantIds().size());
                    Message sent = node.append(conversation.id(), sender, "o" + t + "-" + i, "round " + i, T).message();
                    Conversation read = conversations.get((int) ((t + i) % conversations.size()));
                    node.markRead(read.id(), read.participantIds().get((i + 1) % read.participantIds().size()));
                    if (i % 5 == 0) {
                        node.edit(sent.id(), "round " + i + ", edited", T);
                    }
                    node.listVersion(sender);
                }
                return rounds;
            }).toList());
        }
        for (int u = 0; u < users.size(); u++) {
            assertTrue(store.listVersion(users.get(u)) > versionsBefore.get(u), users.get(u));
        }
    }

    @Test
    void concurrentDirectCreatesForOnePairEndWithOneConversation() throws Exception {
        for (int round = 0; round < 10; round++) {
            String alice = "alice-" + UUID.randomUUID();
            String bob = "bob-" + UUID.randomUUID();
            CountDownLatch start = new CountDownLatch(1);
            List<Callable<UUID>> creates = new ArrayList<>();
            for (int i = 0; i < THREADS; i++) {
                boolean aliceAsks = i % 2 == 0;
                creates.add(() -> {
                    start.await();
                    return aliceAsks ? store.findOrCreateDirect(alice, bob, T).id()
                            : store.findOrCreateDirect(bob, alice, T).id();
                });
            }
            List<Future<UUID>> futures = creates.stream().map(pool::submit).toList();
            start.countDown();
            Set<UUID> ids = new HashSet<>();
            for (Future<UUID> future : futures) {
                ids.add(future.get(30, TimeUnit.SECONDS));
            }

            assertEquals(1, ids.size(), "round " + round);
            assertEquals(1, count("SELECT count(*) FROM participant_table p JOIN participant_table q"
                    + " ON q.conversation_id = p.conversation_id WHERE p.user_id = ? AND q.user_id = ?", alice, bob));
            assertEquals(List.of(alice, bob).stream().sorted().toList(),
                    store.find(ids.iterator().next()).orElseThrow().participantIds().stream().sorted().toList());
        }
    }

    @Test
    void concurrentRetriesOfOneSendStoreOneRow() throws Exception {
        String alice = "alice-" + UUID.randomUUID();
        UUID id = store.findOrCreateDirect(alice, "bob-" + UUID.randomUUID(), T).id();
        store.append(id, alice, "before", "first", T);
        CountDownLatch start = new CountDownLatch(1);

        List<Appended> results = all(java.util.stream.IntStream.range(0, THREADS)
                .mapToObj(i -> (Callable<Appended>) () -> {
                    start.await();
                    return store.append(id, alice, "retried", "same frame", T);
                })
                .toList(), start);

        assertEquals(1, results.stream().filter(Appended::created).count());
        assertEquals(1, results.stream().map(a -> a.message().id()).distinct().count());
        assertEquals(2, results.get(0).message().seq());
        assertEquals(1, count("SELECT count(*) FROM message_table WHERE sender_id = ? AND temp_message_id = ?",
                alice, "retried"));
        assertEquals(3, store.append(id, alice, "after", "next", T).message().seq(), "no seq was lost");
    }

    private <T> List<T> all(List<Callable<T>> tasks) throws Exception {
        return all(tasks, null);
    }

    /** Runs the tasks at once (released by {@code start} when given) and waits, bounded, for every result. */
    private <T> List<T> all(List<Callable<T>> tasks, CountDownLatch start) throws Exception {
        List<Future<T>> futures = tasks.stream().map(pool::submit).toList();
        if (start != null) {
            start.countDown();
        }
        List<T> results = new ArrayList<>();
        for (Future<T> future : futures) {
            results.add(future.get(60, TimeUnit.SECONDS));
        }
        return results;
    }

    private static long count(String sql, String... args) throws SQLException {
        try (Connection c = db.schema.connect(); PreparedStatement p = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                p.setString(i + 1, args[i]);
            }
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
