package io.pagenow.core.presence;

import io.pagenow.core.delivery.Channel;
import io.pagenow.core.delivery.Connection;
import io.pagenow.core.delivery.Event;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.pagenow.core.presence.PresenceWorld.ALICE;
import static io.pagenow.core.presence.PresenceWorld.BOB;
import static io.pagenow.core.presence.PresenceWorld.CAROL;
import static io.pagenow.core.presence.PresenceWorld.update;
import static org.junit.jupiter.api.Assertions.assertEquals;

class GoneConnectionsTest {

    private final PresenceWorld world = new PresenceWorld();

    @Test
    void connectionsFoundGoneAreUnregisteredAndPushedNoMore() {
        world.presenceSocket(ALICE);
        Connection bob = world.presenceSocket(BOB);
        Connection carolStale = world.presenceSocket(CAROL);
        Connection carolLive = world.presenceSocket(CAROL);
        world.push.markGone(carolStale.id());
        world.push.clear();

        world.presence.updatePresence(ALICE, "https://github.com/x", "X");

        assertEquals(List.of(carolLive), world.registry.connectionsOf(List.of(CAROL), Channel.PRESENCE));
        assertEquals(List.of(bob), world.registry.connectionsOf(List.of(BOB), Channel.PRESENCE));
        assertEquals(1, world.push.eventsFor(carolLive.id()).size());
        assertEquals(List.of(), world.push.eventsFor(carolStale.id()));

        world.presence.updatePresence(ALICE, "", "");
        assertEquals(List.of(update(ALICE, Page.EMPTY, new Page("https://github.com/x", "X", "github.com"))),
                world.push.eventsFor(carolLive.id()).subList(1, 2));
    }

    @Test
    void aUsersLastPresenceSocketFoundGoneTakesThemOfflineAtOnce() {
        world.presenceSocket(ALICE);
        Connection bob = world.presenceSocket(BOB);
        Connection carol = world.presenceSocket(CAROL);
        world.push.markGone(carol.id());
        world.push.clear();

        world.presence.updatePresence(ALICE, "https://github.com/x", "X");

        assertEquals(List.of(new Event.PresenceTimeout(CAROL)),
                world.push.eventsFor(bob.id()).stream()
                        .filter(e -> e instanceof Event.PresenceTimeout).toList());
        assertEquals(false, world.presence.overview(ALICE).friends().stream()
                .filter(p -> p.userId().equals(CAROL)).findFirst().orElseThrow().online());
    }
}
