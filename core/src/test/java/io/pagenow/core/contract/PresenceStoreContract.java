package io.pagenow.core.contract;

import io.pagenow.core.delivery.Channel;
import io.pagenow.core.delivery.Connection;
import io.pagenow.core.delivery.port.out.ConnectionRegistry;
import io.pagenow.core.memory.InMemoryConnectionRegistry;
import io.pagenow.core.presence.Page;
import io.pagenow.core.presence.PresenceState;
import io.pagenow.core.presence.port.out.PresenceStore;
import io.pagenow.core.testing.Concurrently;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The behaviour every {@link PresenceStore} must have. {@link #store()} returns an empty one. */
public abstract class PresenceStoreContract {

    /** Millisecond precision, as the core hands out. */
    protected static final Instant T0 = Instant.parse("2026-03-01T09:00:00.123Z");

    private static final Page BBC = new Page("https://news.bbc.co.uk/x", "BBC News", "bbc.co.uk");
    private static final Page GITHUB = new Page("https://github.com/pagenow", "PageNow · GitHub", "github.com");

    protected abstract PresenceStore store();

    private ConnectionRegistry registry;

    /**
     * The registry {@link PresenceStore#updateAndFindAudience} looks the audience up in, one per
     * test: in memory unless the store is kept beside a registry of its own (override to return it).
     */
    protected ConnectionRegistry registry() {
        if (registry == null) {
            registry = new InMemoryConnectionRegistry();
        }
        return registry;
    }

    /** A user id no other test uses. */
    protected String newUser(String label) {
        return label + "-" + UUID.randomUUID();
    }

    @Test
    public void firstTouchBringsTheUserOnlineWithEmptyPages() {
        PresenceStore store = store();
        String alice = newUser("alice");

        assertTrue(store.touch(alice, T0));

        assertEquals(new PresenceState(alice, true, Page.EMPTY, Page.EMPTY, T0), state(store, alice));
    }

    @Test
    public void laterTouchesOnlyMoveLastSeen() {
        PresenceStore store = store();
        String alice = newUser("alice");
        store.touch(alice, T0);
        store.update(alice, BBC, BBC, T0.plusSeconds(1));

        assertFalse(store.touch(alice, T0.plusSeconds(30)));
        assertFalse(store.touch(alice, T0.plusSeconds(60)));

        assertEquals(new PresenceState(alice, true, BBC, BBC, T0.plusSeconds(60)), state(store, alice),
                "a heartbeat keeps the pages");
    }

    @Test
    public void findLeavesOutUsersNeverSeen() {
        PresenceStore store = store();
        String alice = newUser("alice");
        String bob = newUser("bob");
        String ghost = newUser("ghost");
        store.touch(alice, T0);
        store.touch(bob, T0.plusSeconds(1));

        Map<String, PresenceState> found = store.find(List.of(alice, ghost, bob));

        assertEquals(Set.of(alice, bob), found.keySet());
        assertEquals(T0, found.get(alice).lastSeenAt());
        assertEquals(T0.plusSeconds(1), found.get(bob).lastSeenAt());
        assertEquals(Map.of(), store.find(List.of(ghost)));
        assertEquals(Map.of(), store.find(List.of()));
    }

    @Test
    public void updateStoresBothPagesAndReturnsTheState() {
        PresenceStore store = store();
        String alice = newUser("alice");
        store.touch(alice, T0);

        PresenceState after = store.update(alice, BBC, BBC, T0.plusSeconds(5));

        PresenceState expected = new PresenceState(alice, true, BBC, BBC, T0.plusSeconds(5));
        assertEquals(expected, after);
        assertEquals(expected, state(store, alice));
    }

    @Test
    public void updateWithoutALatestSharedPageKeepsTheOneBefore() {
        PresenceStore store = store();
        String alice = newUser("alice");
        store.touch(alice, T0);
        store.update(alice, BBC, BBC, T0.plusSeconds(1));

        PresenceState unshared = store.update(alice, Page.EMPTY, null, T0.plusSeconds(2));

        assertEquals(new PresenceState(alice, true, Page.EMPTY, BBC, T0.plusSeconds(2)), unshared);
        assertEquals(unshared, state(store, alice));

        PresenceState shared = store.update(alice, GITHUB, GITHUB, T0.plusSeconds(3));
        assertEquals(new PresenceState(alice, true, GITHUB, GITHUB, T0.plusSeconds(3)), shared);
    }

    @Test
    public void updateAndFindAudienceStoresTheUpdateAndFindsTheAudiencesPresenceConnections() {
        PresenceStore store = store();
        ConnectionRegistry registry = registry();
        String alice = newUser("alice");
        String bob = newUser("bob");
        String carol = newUser("carol");
        String dave = newUser("dave");
        Connection aliceTab = new Connection(newUser("alice-tab"), alice, Channel.PRESENCE, "n1");
        Connection bobTab = new Connection(newUser("bob-tab"), bob, Channel.PRESENCE, "n1");
        Connection bobPhone = new Connection(newUser("bob-phone"), bob, Channel.PRESENCE, "n2");
        List.of(aliceTab, bobTab, bobPhone,
                new Connection(newUser("bob-chat"), bob, Channel.CHAT, "n1"),
                new Connection(newUser("dave-tab"), dave, Channel.PRESENCE, "n1")).forEach(registry::register);
        store.touch(alice, T0);
        store.update(alice, GITHUB, GITHUB, T0.plusSeconds(1));

        PresenceStore.Update shared = store.updateAndFindAudience(alice, BBC, BBC, T0.plusSeconds(5),
                List.of(bob, carol, alice), registry);

        PresenceState expected = new PresenceState(alice, true, BBC, BBC, T0.plusSeconds(5));
        assertEquals(expected, shared.state());
        assertEquals(expected, state(store, alice));
        assertEquals(Set.of(aliceTab, bobTab, bobPhone), new HashSet<>(shared.audience()),
                "the presence connections of the audience only: no chat socket, nobody outside it");
        assertEquals(3, shared.audience().size());

        PresenceStore.Update unshared = store.updateAndFindAudience(alice, Page.EMPTY, null, T0.plusSeconds(6),
                List.of(), registry);
        assertEquals(new PresenceState(alice, true, Page.EMPTY, BBC, T0.plusSeconds(6)), unshared.state(),
                "the latest shared page is kept, as by update");
        assertEquals(List.of(), unshared.audience());
        assertEquals(unshared.state(), state(store, alice));
    }

    @Test
    public void updateOfAUserNotLiveMakesTheUserLive() {
        PresenceStore store = store();
        String alice = newUser("alice");

        PresenceState first = store.update(alice, Page.EMPTY, null, T0);

        assertEquals(new PresenceState(alice, true, Page.EMPTY, Page.EMPTY, T0), first);
        assertFalse(store.touch(alice, T0.plusSeconds(1)), "already live");
    }

    @Test
    public void goingOfflineDropsThePagesAndKeepsLastSeen() {
        PresenceStore store = store();
        String alice = newUser("alice");
        store.touch(alice, T0);
        store.update(alice, BBC, BBC, T0.plusSeconds(10));

        assertTrue(store.goOffline(alice));

        PresenceState offline = state(store, alice);
        assertFalse(offline.live());
        assertNull(offline.page());
        assertNull(offline.latestPage());
        assertEquals(T0.plusSeconds(10), offline.lastSeenAt());
    }

    @Test
    public void goOfflineIsTrueOnlyForALiveUser() {
        PresenceStore store = store();
        String alice = newUser("alice");
        store.touch(alice, T0);

        assertTrue(store.goOffline(alice));
        assertFalse(store.goOffline(alice));
        assertFalse(store.goOffline(newUser("never-seen")));
    }

    @Test
    public void concurrentGoOfflineIsSeenByExactlyOneCaller() throws Exception {
        PresenceStore store = store();
        String alice = newUser("alice");
        store.touch(alice, T0);

        List<Boolean> results = Concurrently.run(16, () -> store.goOffline(alice));

        assertEquals(1, results.stream().filter(b -> b).count());
        assertFalse(state(store, alice).live());
    }

    @Test
    public void comingBackAfterGoingOfflineStartsWithEmptyPages() {
        PresenceStore store = store();
        String alice = newUser("alice");
        store.touch(alice, T0);
        store.update(alice, BBC, BBC, T0.plusSeconds(1));
        store.goOffline(alice);

        assertTrue(store.touch(alice, T0.plusSeconds(600)));

        assertEquals(new PresenceState(alice, true, Page.EMPTY, Page.EMPTY, T0.plusSeconds(600)),
                state(store, alice));
    }

    @Test
    public void updateAfterGoingOfflineDoesNotBringBackTheOldLatestPage() {
        PresenceStore store = store();
        String alice = newUser("alice");
        store.update(alice, BBC, BBC, T0);
        store.goOffline(alice);

        PresenceState back = store.update(alice, Page.EMPTY, null, T0.plusSeconds(600));

        assertEquals(new PresenceState(alice, true, Page.EMPTY, Page.EMPTY, T0.plusSeconds(600)), back);
    }

    @Test
    public void sweepTakesOfflineOnlyLiveUsersLastSeenBeforeTheCutoff() {
        PresenceStore store = store();
        String stale = newUser("stale");
        String fresh = newUser("fresh");
        String alreadyOffline = newUser("offline");
        String onTheCutoff = newUser("edge");
        Instant cutoff = T0.plus(Duration.ofMinutes(1));
        store.touch(stale, T0);
        store.update(stale, BBC, BBC, T0.plusSeconds(10));
        store.touch(fresh, T0.plus(Duration.ofMinutes(2)));
        store.touch(alreadyOffline, T0);
        store.goOffline(alreadyOffline);
        store.touch(onTheCutoff, cutoff);

        assertEquals(List.of(stale), store.sweep(cutoff));

        PresenceState swept = state(store, stale);
        assertFalse(swept.live());
        assertNull(swept.page());
        assertNull(swept.latestPage());
        assertEquals(T0.plusSeconds(10), swept.lastSeenAt(), "last-seen is kept");
        assertTrue(state(store, fresh).live());
        assertTrue(state(store, onTheCutoff).live(), "last seen at the cutoff is not before it");
        assertEquals(List.of(), store.sweep(cutoff), "nobody is taken offline twice");
        assertEquals(List.of(onTheCutoff), store.sweep(cutoff.plusMillis(1)));
    }

    @Test
    public void sweepOfAnEmptyStoreFindsNobody() {
        assertEquals(List.of(), store().sweep(T0));
    }

    @Test
    public void aSweptUserComesBackOnTheNextTouch() {
        PresenceStore store = store();
        String alice = newUser("alice");
        store.touch(alice, T0);
        store.sweep(T0.plusSeconds(1));

        assertFalse(store.goOffline(alice), "the sweep already took the user offline");
        assertTrue(store.touch(alice, T0.plusSeconds(2)));
        assertTrue(state(store, alice).live());
    }

    @Test
    public void concurrentSweepsTakeEachUserOfflineExactlyOnce() throws Exception {
        PresenceStore store = store();
        List<String> users = IntStream.range(0, 60).mapToObj(i -> newUser("user" + i)).toList();
        users.forEach(u -> store.touch(u, T0));
        String fresh = newUser("fresh");
        store.touch(fresh, T0.plusSeconds(120));

        List<List<String>> results = Concurrently.run(4, () -> store.sweep(T0.plusSeconds(60)));

        List<String> all = new ArrayList<>();
        results.forEach(all::addAll);
        assertEquals(users.size(), all.size(), "no user returned to two sweeps");
        assertEquals(new HashSet<>(users), new HashSet<>(all));
        assertTrue(state(store, fresh).live());
    }

    @Test
    public void sweepAndGoOfflineRacingTakeTheUserOfflineOnce() throws Exception {
        PresenceStore store = store();
        List<String> users = IntStream.range(0, 30).mapToObj(i -> newUser("user" + i)).toList();
        users.forEach(u -> store.touch(u, T0));

        List<List<String>> results = Concurrently.run(2, index -> {
            if (index == 0) {
                return store.sweep(T0.plusSeconds(60));
            }
            List<String> mine = new ArrayList<>();
            for (String user : users) {
                if (store.goOffline(user)) {
                    mine.add(user);
                }
            }
            return mine;
        });

        List<String> all = new ArrayList<>(results.get(0));
        all.addAll(results.get(1));
        assertEquals(users.size(), all.size());
        assertEquals(new HashSet<>(users), new HashSet<>(all));
    }

    private static PresenceState state(PresenceStore store, String userId) {
        PresenceState state = store.find(List.of(userId)).get(userId);
        assertTrue(state != null, "no state for " + userId);
        return state;
    }
}
