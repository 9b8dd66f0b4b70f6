package io.pagenow.core.presence;

import io.pagenow.core.delivery.Channel;
import io.pagenow.core.delivery.Connection;
import io.pagenow.core.delivery.Deliveries;
import io.pagenow.core.delivery.Event;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.pagenow.core.presence.PresenceWorld.ALICE;
import static io.pagenow.core.presence.PresenceWorld.BOB;
import static io.pagenow.core.presence.PresenceWorld.CAROL;
import static io.pagenow.core.presence.PresenceWorld.DAVE;
import static io.pagenow.core.presence.PresenceWorld.assertInvalid;
import static io.pagenow.core.presence.PresenceWorld.ids;
import static io.pagenow.core.presence.PresenceWorld.update;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ConnectAndUpdateTest {

    private static final String BBC_URL = "https://news.bbc.co.uk/x";
    private static final Page BBC = new Page(BBC_URL, "BBC News", "bbc.co.uk");

    private final PresenceWorld world = new PresenceWorld();

    @Test
    void connectingMakesTheUserOnlineAndAnnouncesEmptyPagesToFriendsAndSelf() {
        Connection bob = world.presenceSocket(BOB);
        Connection carol = world.presenceSocket(CAROL);
        Connection dave = world.presenceSocket(DAVE);
        Connection aliceChat = world.chatSocket(ALICE);
        world.push.clear();

        Connection alice = world.presenceSocket(ALICE);

        assertEquals(ids(alice, bob, carol), world.push.recipientsOf(update(ALICE, Page.EMPTY, Page.EMPTY)));
        assertEquals(3, world.push.deliveries().size(), "not to strangers, not to chat sockets");
        assertEquals(List.of(), world.push.eventsFor(dave.id()));
        assertEquals(List.of(), world.push.eventsFor(aliceChat.id()));
        assertEquals(new UserPresence(ALICE, true, Page.EMPTY, Page.EMPTY, world.clock.instant()),
                world.presenceOf(BOB, ALICE));
    }

    @Test
    void anotherConnectionDoesNotAnnounceAgainButCountsAsSeen() {
        world.presenceSocket(BOB);
        world.presenceSocket(ALICE);
        world.push.clear();
        world.clock.advance(Duration.ofSeconds(30));

        world.presenceSocket(ALICE);

        assertEquals(List.of(), world.push.deliveries());
        assertEquals(world.clock.instant(), world.presenceOf(BOB, ALICE).lastSeenAt());
    }

    @Test
    void presenceTakesOnlyPresenceConnections() {
        Connection chat = new Connection("c-1", ALICE, Channel.CHAT, "node-1");

        assertThrows(IllegalArgumentException.class, () -> world.presence.connect(chat));
        assertEquals(List.of(), world.registry.connectionsOf(List.of(ALICE), Channel.CHAT));
        assertFalse(world.presenceOf(ALICE, ALICE).online());
    }

    @Test
    void updateGoesToOnlineFriendsAndTheUsersOwnConnectionsOnly() {
        Connection alice1 = world.presenceSocket(ALICE);
        Connection alice2 = world.presenceSocket(ALICE);
        Connection aliceChat = world.chatSocket(ALICE);
        Connection bob = world.presenceSocket(BOB);
        Connection bobChat = world.chatSocket(BOB);
        Connection carol = world.presenceSocket(CAROL);
        Connection dave = world.presenceSocket(DAVE);
        world.push.clear();

        world.presence.updatePresence(ALICE, BBC_URL, "BBC News");

        Event.PresenceUpdate expected = new Event.PresenceUpdate(ALICE, BBC_URL, "BBC News", "bbc.co.uk",
                BBC_URL, "BBC News", "bbc.co.uk");
        assertEquals(ids(alice1, alice2, bob, carol), world.push.recipientsOf(expected));
        assertEquals(4, world.push.deliveries().size());
        assertEquals(List.of(), world.push.eventsFor(dave.id()));
        assertEquals(List.of(), world.push.eventsFor(aliceChat.id()));
        assertEquals(List.of(), world.push.eventsFor(bobChat.id()));
        assertEquals(new UserPresence(ALICE, true, BBC, BBC, world.clock.instant()), world.presenceOf(BOB, ALICE));
    }

    @Test
    void anEmptyUrlHidesTheCurrentPageAndKeepsTheLatestShared() {
        Connection bob = world.presenceSocket(BOB);
        world.presenceSocket(ALICE);
        world.presence.updatePresence(ALICE, BBC_URL, "BBC News");
        world.push.clear();

        world.presence.updatePresence(ALICE, "", "a title is not shown without its url");

        assertEquals(List.of(update(ALICE, Page.EMPTY, BBC)), world.push.eventsFor(bob.id()));
        UserPresence alice = world.presenceOf(BOB, ALICE);
        assertEquals(Page.EMPTY, alice.page());
        assertEquals(BBC, alice.latestPage());
    }

    @Test
    void theDomainIsTheRegistrableDomainOfTheUrl() {
        world.presenceSocket(ALICE);

        world.presence.updatePresence(ALICE, "https://alice.github.io/blog", "Blog");
        assertEquals(new Page("https://alice.github.io/blog", "Blog", "alice.github.io"), world.stored(ALICE).page());

        world.presence.updatePresence(ALICE, "https://WWW.Example.COM/Path", "Example");
        assertEquals("example.com", world.stored(ALICE).page().domain());

        world.presence.updatePresence(ALICE, "https://?no-host", "Odd");
        assertEquals(new Page("https://?no-host", "Odd", ""), world.stored(ALICE).page(), "no host: empty domain");
    }

    @Test
    void anOverLongPageReplacesThePreviousOneShortened() {
        Connection bob = world.presenceSocket(BOB);
        world.presenceSocket(ALICE);
        world.presence.updatePresence(ALICE, BBC_URL, "BBC News");
        world.push.clear();
        String path = "https://login.example.com/sso/redirect";
        String url = path + "?SAMLRequest=" + "x".repeat(5000) + "#state";

        world.presence.updatePresence(ALICE, url, "t".repeat(600));

        Page shortened = new Page(path, "t".repeat(511) + "\u2026", "example.com");
        assertEquals(List.of(update(ALICE, shortened, shortened)), world.push.eventsFor(bob.id()));
        assertEquals(new UserPresence(ALICE, true, shortened, shortened, world.clock.instant()),
                world.presenceOf(BOB, ALICE), "friends no longer see the page alice left");
    }

    @Test
    void aPageThatIsNotOnTheWebIsSharedAsNoPage() {
        Connection bob = world.presenceSocket(BOB);
        world.presenceSocket(ALICE);
        world.presence.updatePresence(ALICE, BBC_URL, "BBC News");
        world.push.clear();

        world.presence.updatePresence(ALICE, "file:///home/alice/contract.pdf", "contract.pdf");
        world.presence.updatePresence(ALICE, "chrome://newtab/", "New Tab");

        assertEquals(List.of(update(ALICE, Page.EMPTY, BBC), update(ALICE, Page.EMPTY, BBC)),
                world.push.eventsFor(bob.id()), "like a hidden page: nothing of it relayed");
        assertEquals(new UserPresence(ALICE, true, Page.EMPTY, BBC, world.clock.instant()),
                world.presenceOf(BOB, ALICE));
    }

    @Test
    void badUpdatesAreRefusedNamingTheFieldAndChangeNothing() {
        world.presenceSocket(BOB);
        world.presenceSocket(ALICE);
        world.presence.updatePresence(ALICE, BBC_URL, "BBC News");
        world.push.clear();
        PresenceState before = world.stored(ALICE);
        world.clock.advance(Duration.ofSeconds(10));

        assertInvalid("url", () -> world.presence.updatePresence(ALICE, null, "t"));
        assertInvalid("title", () -> world.presence.updatePresence(ALICE, BBC_URL, null));

        assertEquals(before, world.stored(ALICE));
        assertEquals(List.of(), world.push.deliveries());
    }

    @Test
    void heartbeatOfAnOnlineUserOnlyMovesLastSeen() {
        world.presenceSocket(BOB);
        world.presenceSocket(ALICE);
        world.presence.updatePresence(ALICE, BBC_URL, "BBC News");
        world.push.clear();
        world.clock.advance(Duration.ofSeconds(60));

        world.presence.heartbeat(ALICE);

        assertEquals(List.of(), world.push.deliveries());
        assertEquals(new UserPresence(ALICE, true, BBC, BBC, world.clock.instant()), world.presenceOf(BOB, ALICE));
    }

    @Test
    void theTimeoutMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> PresenceCore.create(world.store, world.graph,
                host -> host, new Deliveries(world.registry, world.push), world.clock,
                Duration.ZERO));
        assertEquals(Duration.ofMinutes(3), PresenceCore.DEFAULT_TIMEOUT);
    }
}
