package io.pagenow.postgres;

import io.pagenow.core.chat.Appended;
import io.pagenow.core.chat.Conversation;
import io.pagenow.core.chat.port.out.ConversationStore;
import io.pagenow.core.error.StoreUnavailableException;
import io.pagenow.db.testing.TcpProxy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pool's bounds: an unreachable database, a hanging one, a statement stuck behind a lock and an
 * exhausted pool each fail with {@link StoreUnavailableException} instead of hanging, and the pool serves again
 * once the database is back. Every wait in this test is bounded.
 */
class PostgresStoresTest {

    private static final Instant T = Instant.parse("2026-03-01T08:30:15.123Z");
    private static final Duration SHORT = Duration.ofMillis(500);

    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stopThreads() throws InterruptedException {
        threads.shutdownNow();
        assertTrue(threads.awaitTermination(30, TimeUnit.SECONDS));
    }

    @Test
    void anUnreachableDatabaseFailsEveryCallFastAndIsNotReady() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        PostgresConfig config = new PostgresConfig("jdbc:postgresql://127.0.0.1:" + closedPort + "/test", "postgres",
                "", 2, false, SHORT, Duration.ofSeconds(1));

        try (PostgresStores stores = PostgresStores.open(config)) {
            ConversationStore store = stores.conversations();

            assertUnavailable(() -> store.find(UUID.randomUUID()));
            assertUnavailable(() -> store.append(UUID.randomUUID(), "alice", "t", "hello", T));
            assertUnavailable(() -> store.activityOf("alice"));
            assertUnavailable(() -> stores.socialGraph().friendsOf("alice"));
            assertFalse(bounded(stores::ready));
        }
    }

    @Test
    void migratingAnUnreachableDatabaseStartsAndRefusesUntilTheMigrationsRan() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        PostgresConfig config = new PostgresConfig("jdbc:postgresql://127.0.0.1:" + closedPort + "/test", "postgres",
                "", 2, true);

        try (PostgresStores stores = CompletableFuture.supplyAsync(() -> PostgresStores.open(config), threads)
                .get(60, TimeUnit.SECONDS)) {
            assertFalse(bounded(stores::ready), "not ready while the migrations wait for the database");
            assertUnavailable(() -> stores.conversations().activityOf("alice"));
            assertUnavailable(() -> stores.socialGraph().friendsOf("alice"));
        }
    }

    @Test
    void aSendStuckBehindALockTimesOutAndLeavesNoGap() throws Exception {
        try (TestStores db = TestStores.open("stuck", 2, Duration.ofSeconds(3), Duration.ofSeconds(1))) {
            ConversationStore store = db.stores.conversations();
            Conversation direct = store.findOrCreateDirect("alice", "bob", T);

            try (Connection holder = lockConversation(db, direct.id())) {
                assertUnavailable(() -> store.append(direct.id(), "alice", "t1", "hello", T));
                holder.rollback();
            }

            Appended appended = store.append(direct.id(), "alice", "t1", "hello", T);
            assertTrue(appended.created());
            assertEquals(1, appended.message().seq());
        }
    }

    @Test
    void anExhaustedPoolFailsTheWaitingCallInsteadOfQueueingForever() throws Exception {
        try (TestStores db = TestStores.open("exhausted", 1, SHORT, Duration.ofSeconds(20))) {
            ConversationStore store = db.stores.conversations();
            Conversation direct = store.findOrCreateDirect("alice", "bob", T);

            Future<Appended> blocked;
            try (Connection holder = lockConversation(db, direct.id())) {
                // The only pooled connection waits for the lock inside this send.
                blocked = threads.submit(() -> store.append(direct.id(), "alice", "t1", "hello", T));
                awaitBlockedBy(db, backendPid(holder));

                // (find would answer from the conversation cache without a connection.)
                for (int i = 0; i < PostgresFailures.FAILURES_TO_OPEN + 1; i++) {
                    StoreUnavailableException refused = assertUnavailable(() -> store.activityOf("alice"));
                    assertTrue(refused.busy(), () -> "the database answers, the pool is busy: " + refused.getCause());
                }

                holder.rollback();
            }
            assertEquals(1, blocked.get(30, TimeUnit.SECONDS).message().seq());
            assertEquals(Optional.of(direct), store.find(direct.id()));
            // Busy answers are an overload, not an outage: had they opened the circuit, this would be refused.
            assertEquals(1, store.activityOf("alice").size());
        }
    }

    @Test
    void thePoolServesAgainWhenTheDatabaseComesBack() throws Exception {
        try (TestStores db = TestStores.open("recovery"); TcpProxy proxy = TcpProxy.start(db.schema.address());
             PostgresStores stores = PostgresStores.open(new PostgresConfig(
                     db.schema.jdbcUrlAt("127.0.0.1", proxy.port()), db.schema.user(), db.schema.password(), 2, false,
                     SHORT, Duration.ofSeconds(2)))) {
            ConversationStore store = stores.conversations();
            // On a busy machine the first connection through the proxy can outlast the pool's short
            // wait, and the circuit then refuses for a second: the outage below is the subject.
            assertTrue(readyWithin(Duration.ofSeconds(20), stores), "ready before the outage");
            Conversation direct = store.findOrCreateDirect("alice", "bob", T);
            store.append(direct.id(), "alice", "t1", "hello", T);
            assertTrue(bounded(stores::ready));

            proxy.stop();
            assertEquals(Optional.of(direct), store.find(direct.id()), "a conversation is cached once known");
            assertUnavailable(() -> store.newest(direct.id(), 0, 20));
            assertUnavailable(() -> store.append(direct.id(), "alice", "t2", "in the outage", T));
            assertUnavailable(() -> store.activityOf("alice"));
            assertFalse(bounded(stores::ready));

            proxy.restart();
            // Connections broken by the outage are evicted as they fail; a few calls at most.
            boolean ready = false;
            for (int attempt = 0; attempt < 5 && !ready; attempt++) {
                ready = bounded(stores::ready);
            }
            assertTrue(ready, "ready again once the database is back");
            assertEquals(Optional.of(direct), store.find(direct.id()));
            assertEquals(1, store.activityOf("alice").size());
            assertEquals(2, store.append(direct.id(), "alice", "t2", "after the outage", T).message().seq());
        }
    }

    @Test
    void aHangingDatabaseFailsEachCallWithinTheCallTimeoutAndARetriedSendIsStoredOnce() throws Exception {
        try (TestStores db = TestStores.open("hang"); TcpProxy proxy = TcpProxy.start(db.schema.address())) {
            PostgresConfig config = new PostgresConfig(db.schema.jdbcUrlAt("127.0.0.1", proxy.port()), db.schema.user(),
                    db.schema.password(), 2, false);
            try (PostgresStores stores = PostgresStores.open(config)) {
                ConversationStore store = stores.conversations();
                assertTrue(readyWithin(Duration.ofSeconds(20), stores), "ready before the hang");
                Conversation direct = store.findOrCreateDirect("alice", "bob", T);
                store.append(direct.id(), "alice", "t1", "hello", T);

                proxy.freeze();
                // The circuit opens after two failures; past its open period the next call probes
                // the hanging database again, so each kind of call meets the hang itself.
                assertUnavailableWithin(config.callTimeout(), () -> store.append(direct.id(), "alice", "t2", "hung", T));
                assertUnavailableWithin(config.callTimeout(), () -> store.markRead(direct.id(), "bob"));
                waitRealTime(PostgresFailures.OPEN_FOR.plusMillis(100));
                assertUnavailableWithin(config.callTimeout(), () -> stores.socialGraph().friendsOf("alice"));
                waitRealTime(PostgresFailures.OPEN_FOR.plusMillis(100));
                assertUnavailableWithin(config.callTimeout(), () -> store.activityOf("alice"));

                proxy.thaw();
                assertTrue(readyWithin(Duration.ofSeconds(20), stores), "ready again once the database answers");
                // Whether or not the refused append landed, its retry stores it once, after t1.
                assertEquals(2, store.append(direct.id(), "alice", "t2", "hung", T).message().seq());
                assertEquals(2, store.newest(direct.id(), 0, 20).size());
            }
        }
    }

    /**
     * How much later than the bound a call may end here and still count as within it: the test's
     * own threads share two cores with other builds, and a scheduler or GC pause shows up in the
     * measurement, not in the store. Only the bound is asserted.
     */
    private static final Duration LOADED_MACHINE_MARGIN = Duration.ofMillis(500);

    /** The call fails with StoreUnavailableException, and it ends within {@code bound} of starting. */
    private void assertUnavailableWithin(Duration bound, Supplier<?> call) throws Exception {
        long start = System.nanoTime();
        assertUnavailable(call);
        long took = System.nanoTime() - start;
        assertTrue(took <= bound.plus(LOADED_MACHINE_MARGIN).toNanos(),
                "ended " + TimeUnit.NANOSECONDS.toMillis(took) + " ms after it started; bound " + bound.toMillis() + " ms");
    }

    /** Lets real time pass (a circuit's open period), bounded, without sleeping on a guess. */
    private static void waitRealTime(Duration duration) throws InterruptedException {
        new java.util.concurrent.CountDownLatch(1).await(duration.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** A connection of its own holding the conversation's row lock until it rolls back. */
    private static Connection lockConversation(TestStores db, UUID conversationId) throws SQLException {
        Connection holder = db.schema.connect();
        holder.setAutoCommit(false);
        try (PreparedStatement p = holder.prepareStatement(
                "SELECT 1 FROM conversation_table WHERE conversation_id = ? FOR UPDATE")) {
            p.setObject(1, conversationId);
            p.executeQuery().close();
        }
        return holder;
    }

    private static int backendPid(Connection c) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT pg_backend_pid()"); ResultSet rs = p.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** Returns once some backend waits for a lock {@code holderPid} holds; fails after ten seconds. */
    private static void awaitBlockedBy(TestStores db, int holderPid) throws SQLException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        try (Connection c = db.schema.connect(); PreparedStatement p = c.prepareStatement(
                "SELECT count(*) FROM pg_stat_activity WHERE ? = ANY(pg_blocking_pids(pid))")) {
            p.setInt(1, holderPid);
            while (System.nanoTime() < deadline) {
                try (ResultSet rs = p.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) > 0) {
                        return;
                    }
                }
            }
        }
        throw new AssertionError("the send never waited for the lock");
    }

    private boolean readyWithin(Duration limit, PostgresStores stores) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (bounded(stores::ready)) {
                return true;
            }
            Thread.onSpinWait();
        }
        return false;
    }

    private <T> T bounded(Supplier<T> call) throws Exception {
        return CompletableFuture.supplyAsync(call, threads).get(30, TimeUnit.SECONDS);
    }

    /** The call ends (bounded wait, so a hang fails the test) with StoreUnavailableException. */
    private StoreUnavailableException assertUnavailable(Supplier<?> call) throws Exception {
        ExecutionException failure = assertThrows(ExecutionException.class, () -> bounded(call));
        return assertInstanceOf(StoreUnavailableException.class, failure.getCause(), () -> String.valueOf(failure.getCause()));
    }
}
