package io.pagenow.core.presence;

import io.pagenow.core.delivery.Connection;
import io.pagenow.core.delivery.Event;
import io.pagenow.core.testing.Concurrently;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import static io.pagenow.core.presence.PresenceWorld.ALICE;
import static io.pagenow.core.presence.PresenceWorld.BOB;
import static io.pagenow.core.presence.PresenceWorld.CAROL;
import static io.pagenow.core.presence.PresenceWorld.DAVE;
import static io.pagenow.core.presence.PresenceWorld.TIMEOUT;
import static io.pagenow.core.presence.PresenceWorld.ids;
import static io.pagenow.core.presence.PresenceWorld.update;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TimeoutTest {

    private static final Event ALICE_LEFT = new Event.PresenceTimeout(ALICE);

    private final PresenceWorld world = new PresenceWorld();

    @Test
    void closingTheLastPresenceSocketTellsFriendsOnceAtOnce() {
        Connection alice1 = world.presenceSocket(ALICE);
        Connection alice2 = world.presenceSocket(ALICE);
        world.chatSocket(ALICE);
        Connection bob = world.presenceSocket(BOB);
        Connection carol = world.presenceSocket(CAROL);
        Connection dave = world.presenceSocket(DAVE);
        world.presence.updatePresence(ALICE, "https://github.com/x", "X");
        Instant lastSeen = world.clock.instant();
        world.clock.advance(Duration.ofSeconds(20));
        world.push.clear();

        world.presence.disconnect(alice1.id());

        assertEquals(List.of(), world.push.deliveries(), "another presence socket is open");
        assertTrue(world.presenceOf(BOB, ALICE).online());

        world.presence.disconnect(alice2.id());

        assertEquals(ids(bob, carol), world.push.recipientsOf(ALICE_LEFT), "a chat socket does not keep her online");
        assertEquals(2, world.push.deliveries().size());
        assertEquals(List.of(), world.push.eventsFor(dave.id()));
        assertEquals(new UserPresence(ALICE, false, null, null, lastSeen), world.presenceOf(BOB, ALICE));

        world.presence.disconnect(alice2.id());
        world.presence.disconnect("never-connected");
        assertEquals(2, world.push.deliveries().size(), "told once");
    }

    @Test
    void closingAChatSocketDoesNotTakeTheUserOffline() {
        world.presenceSocket(ALICE);
        Connection aliceChat = world.chatSocket(ALICE);
        world.presenceSocket(BOB);
        world.push.clear();

        world.presence.disconnect(aliceChat.id());

        assertEquals(List.of(), world.push.deliveries());
        assertTrue(world.presenceOf(BOB, ALICE).online());
    }

    @Test
    void concurrentClosesOfTheLastSocketsTellFriendsExactlyOnce() throws Exception {
        Connection bob = world.presenceSocket(BOB);
        for (int round = 1; round <= 25; round++) {
            Connection first = world.presenceSocket(ALICE);
            Connection second = world.presenceSocket(ALICE);

            Concurrently.run(2, i -> {
                world.presence.disconnect((i == 0 ? first : second).id());
                return null;
            });

            long told = world.push.eventsFor(bob.id()).stream().filter(ALICE_LEFT::equals).count();
            assertEquals(round, told, "round " + round);
            assertFalse(world.presenceOf(BOB, ALICE).online());
        }
    }

    @Test
    void theSweepTakesOfflineOnlyAfterTheTimeout() {
        world.presenceSocket(ALICE);
        Instant connectedAt = world.clock.instant();
        Connection bob = world.presenceSocket(BOB);
        Connection carol = world.presenceSocket(CAROL);
        world.clock.advance(TIMEOUT);
        world.presence.heartbeat(BOB);
        world.presence.heartbeat(CAROL);
        world.push.clear();

        assertEquals(0, world.presence.sweep(), "exactly the timeout is not past it");
        assertTrue(world.presenceOf(BOB, ALICE).online());
        assertEquals(List.of(), world.push.deliveries());

        world.clock.advance(Duration.ofMillis(1));

        assertEquals(1, world.presence.sweep());
        assertEquals(ids(bob, carol), world.push.recipientsOf(ALICE_LEFT));
        assertEquals(new UserPresence(ALICE, false, null, null, connectedAt), world.presenceOf(BOB, ALICE),
                "last-seen is kept");
        assertEquals(0, world.presence.sweep());
        assertEquals(2, world.push.deliveries().size());
    }

    @Test
    void aSilentUserReadsOfflineEvenBeforeTheSweepRuns() {
        world.presenceSocket(ALICE);
        world.presenceSocket(BOB);
        world.presence.updatePresence(ALICE, "https://github.com/x", "X");

        world.clock.advance(TIMEOUT.plusMillis(1));

        UserPresence alice = world.presenceOf(BOB, ALICE);
        assertFalse(alice.online());
        assertNull(alice.page());
        assertEquals(Optional.empty(), world.presence.pageOf(BOB, ALICE));
    }

    @Test
    void heartbeatsAndUpdatesKeepAUserOnline() {
        world.presenceSocket(ALICE);
        world.clock.advance(Duration.ofMinutes(2));
        world.presence.heartbeat(ALICE);
        world.clock.advance(Duration.ofMinutes(2));
        world.presence.updatePresence(ALICE, "https://github.com/x", "X");
        world.clock.advance(Duration.ofMinutes(2));

        assertEquals(0, world.presence.sweep());
        assertTrue(world.presenceOf(ALICE, ALICE).online());

        world.clock.advance(Duration.ofMinutes(1).plusMillis(1));
        assertEquals(1, world.presence.sweep());
    }

    @Test
    void aHeartbeatAfterTimingOutAnnouncesTheUserAgain() {
        Connection alice = world.presenceSocket(ALICE);
        Connection bob = world.presenceSocket(BOB);
        world.presence.updatePresence(ALICE, "https://github.com/x", "X");
        world.clock.advance(TIMEOUT.plusSeconds(1));
        world.presence.heartbeat(BOB);
        world.presence.sweep();
        world.push.clear();

        world.presence.heartbeat(ALICE);

        Event back = update(ALICE, Page.EMPTY, Page.EMPTY);
        assertEquals(ids(alice, bob), world.push.recipientsOf(back), "back online with no page yet");
        assertEquals(new UserPresence(ALICE, true, Page.EMPTY, Page.EMPTY, world.clock.instant()),
                world.presenceOf(BOB, ALICE));
    }

    @Test
    void concurrentSweepsTellFriendsOncePerUser() throws Exception {
        world.presenceSocket(ALICE);
        world.presenceSocket(BOB);
        world.clock.advance(Duration.ofMinutes(2));
        Connection carol = world.presenceSocket(CAROL);
        world.clock.advance(Duration.ofMinutes(1).plusMillis(1));
        world.push.clear();

        List<Integer> taken = Concurrently.run(4, () -> world.presence.sweep());

        assertEquals(2, taken.stream().mapToInt(Integer::intValue).sum());
        assertEquals(List.of(new Event.PresenceTimeout(ALICE), new Event.PresenceTimeout(BOB)),
                world.push.eventsFor(carol.id()).stream()
                        .sorted(Comparator.comparing(e -> ((Event.PresenceTimeout) e).userId()))
                        .toList());
    }
}
