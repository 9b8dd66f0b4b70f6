package io.pagenow.postgres;

import com.github.benmanes.caffeine.cache.Ticker;
import io.pagenow.core.error.StoreUnavailableException;
import io.pagenow.core.social.ShareMode;
import io.pagenow.core.social.ShareSettings;
import io.pagenow.core.social.port.out.SocialGraph;
import io.pagenow.core.social.UserInfo;
import io.pagenow.core.testing.SocialFixture;
import io.pagenow.db.testing.TcpProxy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Friends and share settings are served from memory for the TTL, read again after it, dropped after
 * twice it; on the real tables, with the cache's clock in the test's hand (refreshes run on the
 * calling thread, so each is done when the call that started it returns, unless a test holds them).
 */
class PostgresSocialGraphCacheTest {

    private static final Duration TTL = Duration.ofSeconds(5);

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final Ticker ticker = nanos::get;
    private TestStores db;
    private String alice;
    private String bob;
    private String carol;

    @BeforeEach
    void fill() throws SQLException {
        db = TestStores.open("social_cache");
        String run = UUID.randomUUID().toString().substring(0, 8);
        alice = "alice-" + run;
        bob = "bob-" + run;
        carol = "carol-" + run;
        SocialFixture fixture = SocialFixture.builder()
                .user(new UserInfo(alice, "Alice", "Kim", null), ShareSettings.shareAll())
                .user(new UserInfo(bob, "Bob", "Lee", null), ShareSettings.shareAll())
                .user(new UserInfo(carol, "Carol", "Park", null), ShareSettings.shareAll())
                .accepted(alice, bob)
                .build();
        try (Connection c = db.schema.connect()) {
            PostgresSocialGraphTest.insert(c, fixture);
        }
    }

    @AfterEach
    void drop() {
        db.close();
    }

    private PostgresStores open(String jdbcUrl, Duration ttl) {
        return open(jdbcUrl, ttl, Runnable::run);
    }

    private PostgresStores open(String jdbcUrl, Duration ttl, Executor refreshes) {
        return open(jdbcUrl, ttl, refreshes, Runnable::run);
    }

    private PostgresStores open(String jdbcUrl, Duration ttl, Executor refreshes, Executor firstReads) {
        return PostgresStores.open(new PostgresConfig(jdbcUrl, db.schema.user(), db.schema.password(), 2, false,
                Duration.ofMillis(500), Duration.ofSeconds(2)).withSocialGraphCacheTtl(ttl), ticker, refreshes, firstReads);
    }

    private void advance(Duration by) {
        nanos.addAndGet(by.toNanos());
    }

    @Test
    void aNewFriendshipAppliesAfterTheTtl() throws SQLException {
        try (PostgresStores stores = open(db.schema.jdbcUrl(), TTL)) {
            SocialGraph graph = stores.socialGraph();
            assertEquals(Set.of(bob), graph.friendsOf(alice));
            assertFalse(graph.areFriends(alice, carol));

            befriend(alice, carol);
            advance(TTL.minusMillis(1));
            assertEquals(Set.of(bob), graph.friendsOf(alice), "served from memory within the TTL");

            advance(Duration.ofMillis(2));
            graph.friendsOf(alice);   // past the TTL: this use reads it again

            assertEquals(Set.of(bob, carol), graph.friendsOf(alice));
            assertTrue(graph.areFriends(alice, carol));
            assertFalse(graph.areFriends(alice, alice));
        }
    }

    @Test
    void aChangedShareSettingAppliesAfterTheTtl() throws SQLException {
        try (PostgresStores stores = open(db.schema.jdbcUrl(), TTL)) {
            SocialGraph graph = stores.socialGraph();
            assertEquals(Optional.of(ShareSettings.shareAll()), graph.shareSettings(alice));

            execute("UPDATE user_table SET share_mode = 'default_none', domain_allow_array = '{github.com}'"
                    + " WHERE user_id = ?", alice);
            assertEquals(Optional.of(ShareSettings.shareAll()), graph.shareSettings(alice));

            advance(TTL.plusMillis(1));
            graph.shareSettings(alice);

            assertEquals(Optional.of(new ShareSettings(ShareMode.DEFAULT_NONE, Set.of("github.com"), Set.of())),
                    graph.shareSettings(alice));
        }
    }

    /** The refreshes that fell due while none ran share one query per table. */
    @Test
    void refreshesFallingDueTogetherAreReadTogether() throws SQLException {
        List<Runnable> held = new ArrayList<>();
        try (PostgresStores stores = open(db.schema.jdbcUrl(), TTL, held::add)) {
            SocialGraph graph = stores.socialGraph();
            for (String user : List.of(alice, bob, carol)) {
                graph.friendsOf(user);
                graph.shareSettings(user);
            }
            assertEquals(List.of(), held, "a first use reads at once, on the caller's thread");

            befriend(bob, carol);
            execute("UPDATE user_table SET share_mode = 'default_none' WHERE user_id = ?", carol);
            advance(TTL.plusMillis(1));
            for (String user : List.of(alice, bob, carol)) {
                graph.friendsOf(user);
                graph.shareSettings(user);
            }

            assertEquals(2, held.size(), "one read of friends and one of share settings for the three users");
            assertEquals(Set.of(alice), graph.friendsOf(bob), "the old value until the read ran");
            held.forEach(Runnable::run);

            assertEquals(Set.of(bob), graph.friendsOf(alice));
            assertEquals(Set.of(alice, carol), graph.friendsOf(bob));
            assertEquals(Set.of(bob), graph.friendsOf(carol));
            assertEquals(Optional.of(ShareSettings.shareAll()), graph.shareSettings(bob));
            assertEquals(ShareMode.DEFAULT_NONE, graph.shareSettings(carol).orElseThrow().mode());
        }
    }

    /**
     * A connect storm of new users: first uses (and single profiles, the known-user check) asked
     * for while none is read yet are one query per table, each caller waiting for it.
     */
    @Test
    void firstUsesAskedTogetherAreReadTogether() throws Exception {
        BlockingQueue<Runnable> held = new LinkedBlockingQueue<>();
        ExecutorService callers = Executors.newFixedThreadPool(3, task -> new Thread(task, CALLER));
        try (PostgresStores stores = open(db.schema.jdbcUrl(), TTL, Runnable::run, held::add)) {
            SocialGraph graph = stores.socialGraph();
            List<Future<Set<String>>> friends = new ArrayList<>();
            for (String user : List.of(alice, bob, carol)) {
                friends.add(callers.submit(() -> graph.friendsOf(user)));
            }
            Runnable batch = held.poll(10, TimeUnit.SECONDS);
            assertNotNull(batch, "the first caller's read was handed to the executor");
            // The batch has not run: the others join it as they ask, and wait for it.
            awaitWaiting(3);
            batch.run();

            assertEquals(Set.of(bob), friends.get(0).get(10, TimeUnit.SECONDS));
            assertEquals(Set.of(alice), friends.get(1).get(10, TimeUnit.SECONDS));
            assertEquals(Set.of(), friends.get(2).get(10, TimeUnit.SECONDS));
            assertEquals(List.of(), List.copyOf(held), "one read for the three users");

            Future<Map<String, UserInfo>> profile = callers.submit(() -> graph.usersById(List.of(carol)));
            Future<Map<String, UserInfo>> nobody = callers.submit(() -> graph.usersById(List.of("nobody-" + alice)));
            Runnable profiles = held.poll(10, TimeUnit.SECONDS);
            assertNotNull(profiles);
            awaitWaiting(2);
            profiles.run();
            assertEquals(Set.of(carol), profile.get(10, TimeUnit.SECONDS).keySet());
            assertEquals(Map.of(), nobody.get(10, TimeUnit.SECONDS), "an unknown user is absent, as without the cache");
            assertEquals(List.of(), List.copyOf(held), "one read for both profiles");
        } finally {
            callers.shutdownNow();
        }
    }

    private static final String CALLER = "social-graph-cache-test-caller";

    /** Until {@code count} callers wait in the cache (for the batch), bounded. */
    private static void awaitWaiting(int count) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals(CALLER) && t.getState() == Thread.State.TIMED_WAITING)
                .filter(t -> java.util.Arrays.stream(t.getStackTrace())
                        .anyMatch(frame -> frame.getClassName().equals(CachedSocialGraph.class.getName())))
                .count() < count) {
            assertTrue(System.nanoTime() < deadline, "callers did not all wait for the batch");
            Thread.onSpinWait();
        }
    }

    @Test
    void aDisabledCacheReadsThrough() throws SQLException {
        try (PostgresStores stores = open(db.schema.jdbcUrl(), Duration.ZERO)) {
            SocialGraph graph = stores.socialGraph();
            assertEquals(Set.of(bob), graph.friendsOf(alice));
            assertEquals(Optional.of(ShareSettings.shareAll()), graph.shareSettings(alice));

            befriend(alice, carol);
            execute("UPDATE user_table SET share_mode = 'default_none' WHERE user_id = ?", alice);

            assertEquals(Set.of(bob, carol), graph.friendsOf(alice));
            assertTrue(graph.areFriends(carol, alice));
            assertEquals(ShareMode.DEFAULT_NONE, graph.shareSettings(alice).orElseThrow().mode());
        }
    }

    @Test
    void inAnOutageTheOldValueIsServedUntilTwiceTheTtlAndNothingCachedFails() throws Exception {
        try (TcpProxy proxy = TcpProxy.start(db.schema.address());
             PostgresStores stores = open(db.schema.jdbcUrlAt("127.0.0.1", proxy.port()), TTL)) {
            SocialGraph graph = stores.socialGraph();
            assertEquals(Set.of(bob), graph.friendsOf(alice));
            assertEquals(Optional.of(ShareSettings.shareAll()), graph.shareSettings(alice));

            proxy.stop();
            assertThrows(StoreUnavailableException.class, () -> graph.friendsOf(bob), "nothing cached for bob");
            assertThrows(StoreUnavailableException.class, () -> graph.shareSettings(bob));

            advance(TTL.plusMillis(1));
            // The refresh fails; the old value stays until it expires.
            assertEquals(Set.of(bob), graph.friendsOf(alice));
            assertEquals(Set.of(bob), graph.friendsOf(alice));
            assertEquals(Optional.of(ShareSettings.shareAll()), graph.shareSettings(alice));

            advance(TTL);
            assertThrows(StoreUnavailableException.class, () -> graph.friendsOf(alice), "expired after twice the TTL");
            assertThrows(StoreUnavailableException.class, () -> graph.shareSettings(alice));

            proxy.restart();
            befriend(alice, carol);
            // Connections broken by the outage are dropped as they fail, and the store's circuit,
            // opened by the outage, lets a call through again within a second: bounded retries.
            Set<String> friends = Set.of();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (friends.isEmpty() && System.nanoTime() < deadline) {
                try {
                    friends = graph.friendsOf(alice);
                } catch (StoreUnavailableException e) {
                    // a connection broken by the outage, or the circuit still open
                    Thread.onSpinWait();
                }
            }
            assertEquals(Set.of(bob, carol), friends, "read again once the database is back");
        }
    }

    private void befriend(String a, String b) throws SQLException {
        execute("INSERT INTO friendship_table (user_id1, user_id2, requested_at, accepted_at)"
                + " VALUES (?, '" + b + "', now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc')", a);
    }

    private void execute(String sql, String userId) throws SQLException {
        try (Connection c = db.schema.connect(); PreparedStatement p = c.prepareStatement(sql)) {
            p.setString(1, userId);
            assertEquals(1, p.executeUpdate());
        }
    }
}
