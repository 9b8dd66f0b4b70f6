package io.pagenow.redis;

import io.pagenow.core.contract.PresenceStoreContract;
import io.pagenow.core.delivery.Channel;
import io.pagenow.core.delivery.Connection;
import io.pagenow.core.delivery.port.out.ConnectionRegistry;
import io.pagenow.core.memory.InMemoryConnectionRegistry;
import io.pagenow.core.memory.InMemoryPresenceStore;
import io.pagenow.core.presence.Page;
import io.pagenow.core.presence.PresenceState;
import io.pagenow.core.presence.port.out.PresenceStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RedisPresenceStoreTest extends PresenceStoreContract {

    private static final Instant T0 = Instant.parse("2025-01-01T10:00:00Z");
    private static final Page GITHUB = new Page("https://github.com/x", "GitHub", "github.com");
    private static final Page DOCS = new Page("https://docs.oracle.com/", "Docs", "oracle.com");

    private final String prefix = RedisTestSupport.freshPrefix();
    private RedisLive live;
    private final List<RedisLive> others = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        if (live != null) {
            live.close();
        }
        others.forEach(RedisLive::close);
        RedisTestSupport.deleteKeysUnder(prefix);
    }

    /** Connects on first use, so the contract's own set-up may call it before ours would run. */
    @Override
    protected PresenceStore store() {
        if (live == null) {
            live = RedisTestSupport.connect(RedisTestSupport.config(prefix, "n1"));
        }
        return live.presenceStore();
    }

    /** The registry in the same Redis: the contract's audience lookups take the one-script path. */
    @Override
    protected ConnectionRegistry registry() {
        store();
        return live.registry();
    }

    @Test
    void theAudienceOfAnotherRegistryIsLookedUpThere() {
        PresenceStore store = store();
        ConnectionRegistry elsewhere = new InMemoryConnectionRegistry();
        Connection bobTab = new Connection("bob-tab", "bob", Channel.PRESENCE, "n9");
        elsewhere.register(bobTab);
        live.registry().register(new Connection("bob-here", "bob", Channel.PRESENCE, "n1"));

        PresenceStore.Update update = store.updateAndFindAudience("alice", GITHUB, GITHUB, T0, List.of("bob"), elsewhere);

        assertEquals(List.of(bobTab), update.audience());
        assertEquals(new PresenceState("alice", true, GITHUB, GITHUB, T0), update.state());
    }

    @Test
    void touchMakesAUserLiveWithEmptyPagesOnlyTheFirstTime() {
        PresenceStore store = store();
        assertTrue(store.touch("alice", T0));
        store.update("alice", GITHUB, GITHUB, T0.plusSeconds(1));

        assertFalse(store.touch("alice", T0.plusSeconds(2)));
        assertEquals(new PresenceState("alice", true, GITHUB, GITHUB, T0.plusSeconds(2)),
                store.find(List.of("alice")).get("alice"));
    }

    @Test
    void updateKeepsTheLatestSharedPageUntilAnotherIsShared() {
        PresenceStore store = store();
        assertEquals(new PresenceState("alice", true, GITHUB, GITHUB, T0), store.update("alice", GITHUB, GITHUB, T0));
        assertEquals(new PresenceState("alice", true, Page.EMPTY, GITHUB, T0.plusSeconds(1)),
                store.update("alice", Page.EMPTY, null, T0.plusSeconds(1)));
        assertEquals(new PresenceState("alice", true, DOCS, DOCS, T0.plusSeconds(2)),
                store.update("alice", DOCS, DOCS, T0.plusSeconds(2)));
        assertEquals(Map.of("alice", new PresenceState("alice", true, DOCS, DOCS, T0.plusSeconds(2))),
                store.find(List.of("alice")));
    }

    @Test
    void aUserBackFromOfflineStartsWithoutTheOldLatestPage() {
        PresenceStore store = store();
        store.update("alice", GITHUB, GITHUB, T0);
        assertTrue(store.goOffline("alice"));

        assertEquals(new PresenceState("alice", true, Page.EMPTY, Page.EMPTY, T0.plusSeconds(5)),
                store.update("alice", Page.EMPTY, null, T0.plusSeconds(5)));
    }

    @Test
    void sweepTakesOfflineOnlyUsersLastSeenStrictlyBeforeTheCutoff() {
        PresenceStore store = store();
        Instant cutoff = T0.plusMillis(1500).plusNanos(400);
        store.touch("old", T0);
        store.touch("sameMilliEarlier", cutoff.minusNanos(300));
        store.touch("atCutoff", cutoff);
        store.touch("sameMilliLater", cutoff.plusNanos(100));
        store.touch("fresh", cutoff.plusSeconds(1));
        store.update("offlineAlready", GITHUB, GITHUB, T0);
        store.goOffline("offlineAlready");

        assertEquals(Set.of("old", "sameMilliEarlier"), new HashSet<>(store.sweep(cutoff)));
        assertEquals(List.of(), store.sweep(cutoff), "a second sweep finds nobody");
        Map<String, PresenceState> states = store.find(
                List.of("old", "sameMilliEarlier", "atCutoff", "sameMilliLater", "fresh", "offlineAlready"));
        assertEquals(new PresenceState("old", false, null, null, T0), states.get("old"));
        assertEquals(cutoff.minusNanos(300), states.get("sameMilliEarlier").lastSeenAt());
        assertTrue(states.get("atCutoff").live());
        assertTrue(states.get("sameMilliLater").live());
        assertTrue(states.get("fresh").live());
    }

    @Test
    void sweepWorksThroughMoreUsersThanOneBatch() {
        RedisLive small = RedisTestSupport.connect(RedisTestSupport.config(prefix, "n2"), 3);
        others.add(small);
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < 10; i++) {
            small.presenceStore().touch("u" + i, T0.plusMillis(i));
            expected.add("u" + i);
        }
        small.presenceStore().touch("stays", T0.plusSeconds(10));

        List<String> taken = small.presenceStore().sweep(T0.plusSeconds(1));
        assertEquals(10, taken.size());
        assertEquals(expected, new HashSet<>(taken));
        assertTrue(small.presenceStore().find(List.of("stays")).get("stays").live());
    }

    @Test
    void instantsReadBackExactlyIncludingNanosAndBefore1970() {
        PresenceStore store = store();
        Instant precise = Instant.parse("2025-03-04T05:06:07.123456789Z");
        Instant old = Instant.parse("1969-12-31T23:59:59.999999001Z");
        store.touch("precise", precise);
        store.touch("old", old);

        Map<String, PresenceState> states = store.find(List.of("precise", "old"));
        assertEquals(precise, states.get("precise").lastSeenAt());
        assertEquals(old, states.get("old").lastSeenAt());
        assertEquals(List.of("old"), store.sweep(Instant.parse("1970-01-01T00:00:00Z")));
    }

    @Test
    void concurrentSweepsOnTwoClientsTakeEachUserOfflineExactlyOnce() throws Exception {
        RedisLive second = RedisTestSupport.connect(RedisTestSupport.config(prefix, "n2"), 25);
        RedisLive first = RedisTestSupport.connect(RedisTestSupport.config(prefix, "n3"), 25);
        others.add(second);
        others.add(first);
        Set<String> users = new HashSet<>();
        for (int i = 0; i < 400; i++) {
            first.presenceStore().touch("user" + i, T0.plusMillis(i));
            users.add("user" + i);
        }
        Instant cutoff = T0.plusSeconds(60);
        CountDownLatch start = new CountDownLatch(1);
        CompletableFuture<List<String>> a = CompletableFuture.supplyAsync(() -> {
            awaitQuietly(start);
            return first.presenceStore().sweep(cutoff);
        });
        CompletableFuture<List<String>> b = CompletableFuture.supplyAsync(() -> {
            awaitQuietly(start);
            return second.presenceStore().sweep(cutoff);
        });
        start.countDown();
        List<String> all = new ArrayList<>(a.get(20, TimeUnit.SECONDS));
        all.addAll(b.get(20, TimeUnit.SECONDS));

        assertEquals(users.size(), all.size(), "nobody taken twice");
        assertEquals(users, new HashSet<>(all));
    }

    /** The in-memory store is the reference: the same random operations give the same answers. */
    @Test
    void behavesLikeTheInMemoryReference() {
        PresenceStore redis = store();
        PresenceStore memory = new InMemoryPresenceStore();
        Random random = new Random(42);
        List<String> users = List.of("a", "b", "c", "d");
        List<Page> pages = List.of(Page.EMPTY, GITHUB, DOCS);
        Instant now = T0;
        for (int step = 0; step < 400; step++) {
            now = now.plus(Duration.ofSeconds(random.nextInt(40)));
            String user = users.get(random.nextInt(users.size()));
            switch (random.nextInt(5)) {
                case 0 -> assertEquals(memory.touch(user, now), redis.touch(user, now), "touch at step " + step);
                case 1 -> {
                    Page page = pages.get(random.nextInt(pages.size()));
                    Page latest = page.isEmpty() ? null : page;
                    assertEquals(memory.update(user, page, latest, now), redis.update(user, page, latest, now),
                            "update at step " + step);
                }
                case 2 -> assertEquals(memory.goOffline(user), redis.goOffline(user), "goOffline at step " + step);
                case 3 -> {
                    Instant cutoff = now.minusSeconds(60);
                    assertEquals(new HashSet<>(memory.sweep(cutoff)), new HashSet<>(redis.sweep(cutoff)),
                            "sweep at step " + step);
                }
                default -> assertEquals(memory.find(users), redis.find(users), "find at step " + step);
            }
        }
        assertEquals(memory.find(users), redis.find(users));
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("start signal never came");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
