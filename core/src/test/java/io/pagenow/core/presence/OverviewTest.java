package io.pagenow.core.presence;

import io.pagenow.core.delivery.Connection;
import io.pagenow.core.error.ForbiddenException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import static io.pagenow.core.presence.PresenceWorld.ALICE;
import static io.pagenow.core.presence.PresenceWorld.BOB;
import static io.pagenow.core.presence.PresenceWorld.CAROL;
import static io.pagenow.core.presence.PresenceWorld.DAVE;
import static io.pagenow.core.presence.PresenceWorld.ERIN;
import static io.pagenow.core.presence.PresenceWorld.FRANK;
import static io.pagenow.core.presence.PresenceWorld.assertInvalid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class OverviewTest {

    private static final Page BBC = new Page("https://news.bbc.co.uk/x", "BBC News", "bbc.co.uk");

    private final PresenceWorld world = new PresenceWorld();

    @Test
    void overviewHasTheCallerEachFriendAndTheirProfiles() {
        Connection carol = world.presenceSocket(CAROL);
        Instant carolSeen = world.clock.instant();
        world.clock.advance(Duration.ofSeconds(30));
        world.presence.disconnect(carol.id());
        world.clock.advance(Duration.ofSeconds(30));
        world.presenceSocket(BOB);
        Instant bobSeen = world.clock.instant();
        world.clock.advance(Duration.ofSeconds(30));
        world.presenceSocket(ALICE);
        world.presence.updatePresence(ALICE, BBC.url(), BBC.title());
        Instant now = world.clock.instant();

        PresenceOverview overview = world.presence.overview(ALICE);

        assertEquals(new UserPresence(ALICE, true, BBC, BBC, now), overview.self());
        Map<String, UserPresence> friends = overview.friends().stream()
                .collect(Collectors.toMap(UserPresence::userId, p -> p));
        assertEquals(Set.of(BOB, CAROL, ERIN, FRANK), friends.keySet());
        assertEquals(4, overview.friends().size());
        assertEquals(new UserPresence(BOB, true, Page.EMPTY, Page.EMPTY, bobSeen), friends.get(BOB));
        assertEquals(new UserPresence(CAROL, false, null, null, carolSeen), friends.get(CAROL),
                "offline: no pages, last seen kept");
        assertEquals(new UserPresence(ERIN, false, null, null, null), friends.get(ERIN), "never seen");
        assertEquals(Set.of(ALICE, BOB, CAROL, ERIN, FRANK), overview.users().keySet(), "the caller included");
        assertEquals("Alice", overview.users().get(ALICE).firstName());
        assertEquals("png", overview.users().get(ERIN).profileImageExtension());
    }

    @Test
    void aUserWithoutFriendsSeesOnlyThemselves() {
        world.presenceSocket(ALICE);

        PresenceOverview overview = world.presence.overview(DAVE);

        assertEquals(new UserPresence(DAVE, false, null, null, null), overview.self());
        assertEquals(List.of(), overview.friends());
        assertEquals(Set.of(DAVE), overview.users().keySet());
    }

    @Test
    void pageOfSelfAndFriends() {
        world.presenceSocket(ALICE);
        world.presenceSocket(BOB);
        world.presence.updatePresence(ALICE, BBC.url(), BBC.title());

        assertEquals(Optional.of(BBC), world.presence.pageOf(ALICE, ALICE));
        assertEquals(Optional.of(BBC), world.presence.pageOf(BOB, ALICE));
        assertEquals(Optional.of(Page.EMPTY), world.presence.pageOf(ALICE, BOB), "online, on no shared page");
        assertEquals(Optional.empty(), world.presence.pageOf(ALICE, CAROL), "offline");
    }

    @Test
    void pageOfAStrangerIsRefused() {
        world.presenceSocket(ALICE);
        world.presenceSocket(DAVE);

        assertEquals(403, assertThrows(ForbiddenException.class, () -> world.presence.pageOf(DAVE, ALICE)).status());
        assertThrows(ForbiddenException.class, () -> world.presence.pageOf(ALICE, DAVE));
        assertThrows(ForbiddenException.class, () -> world.presence.pageOf(ALICE, "nobody"));
    }

    @Test
    void pageOfNeedsAUserId() {
        assertInvalid("userId", () -> world.presence.pageOf(ALICE, null));
        assertInvalid("userId", () -> world.presence.pageOf(ALICE, ""));
        assertInvalid("userId", () -> world.presence.pageOf(ALICE, "u".repeat(129)));
    }
}
