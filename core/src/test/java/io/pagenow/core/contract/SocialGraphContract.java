package io.pagenow.core.contract;

import io.pagenow.core.social.ShareMode;
import io.pagenow.core.social.ShareSettings;
import io.pagenow.core.social.port.out.SocialGraph;
import io.pagenow.core.social.UserInfo;
import io.pagenow.core.testing.SocialFixture;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The behaviour every {@link SocialGraph} must have, starting from the given users and friendships. */
public abstract class SocialGraphContract {

    protected abstract SocialGraph graph(SocialFixture fixture);

    /** Fresh ids per test, so a graph backed by shared tables never sees another test's rows. */
    private final String alice = id("alice");
    private final String bob = id("bob");
    private final String carol = id("carol");
    private final String dave = id("dave");
    private final String erin = id("erin");

    @Test
    public void acceptedFriendshipsCountInBothDirections() {
        SocialGraph graph = graph(fixture());

        assertEquals(Set.of(bob, carol), graph.friendsOf(alice));
        assertEquals(Set.of(alice), graph.friendsOf(bob), "bob asked alice");
        assertEquals(Set.of(alice), graph.friendsOf(carol), "carol was asked by alice");
        assertTrue(graph.areFriends(alice, bob));
        assertTrue(graph.areFriends(bob, alice));
        assertTrue(graph.areFriends(alice, carol));
        assertTrue(graph.areFriends(carol, alice));
        assertFalse(graph.areFriends(bob, carol), "friends of a friend are not friends");
    }

    @Test
    public void pendingFriendshipsAreNotFriendships() {
        SocialGraph graph = graph(fixture());

        assertEquals(Set.of(), graph.friendsOf(dave));
        assertEquals(Set.of(), graph.friendsOf(erin));
        assertFalse(graph.areFriends(alice, dave));
        assertFalse(graph.areFriends(dave, alice));
        assertFalse(graph.areFriends(erin, alice));
        assertFalse(graph.areFriends(alice, erin));
    }

    @Test
    public void unknownUsersHaveNoFriendsAndNoSettings() {
        SocialGraph graph = graph(fixture());
        String ghost = id("ghost");

        assertEquals(Set.of(), graph.friendsOf(ghost));
        assertFalse(graph.areFriends(ghost, alice));
        assertFalse(graph.areFriends(alice, ghost));
        assertEquals(Optional.empty(), graph.shareSettings(ghost));
    }

    @Test
    public void usersByIdReturnsTheKnownUsersProfiles() {
        SocialGraph graph = graph(fixture());
        String ghost = id("ghost");

        Map<String, UserInfo> found = graph.usersById(List.of(alice, ghost, dave));

        assertEquals(Map.of(
                alice, new UserInfo(alice, "Alice", "Kim", "png"),
                dave, new UserInfo(dave, "Dave", "Choi", null)), found);
        assertEquals(Map.of(), graph.usersById(List.of(ghost)));
        assertEquals(Map.of(), graph.usersById(List.of()));
        assertEquals(5, graph.usersById(List.of(alice, bob, carol, dave, erin)).size());
    }

    @Test
    public void shareSettingsAreReturnedAsStored() {
        SocialGraph graph = graph(fixture());

        assertEquals(Optional.of(ShareSettings.shareAll()), graph.shareSettings(alice));
        assertEquals(Optional.of(new ShareSettings(ShareMode.DEFAULT_ALL, Set.of(), Set.of("bbc.co.uk", "example.com"))),
                graph.shareSettings(bob));
        assertEquals(Optional.of(new ShareSettings(ShareMode.DEFAULT_NONE, Set.of("github.com"), Set.of())),
                graph.shareSettings(carol));
        assertTrue(graph.shareSettings(carol).orElseThrow().shares("GitHub.com"));
        assertFalse(graph.shareSettings(carol).orElseThrow().shares("bbc.co.uk"));
        assertFalse(graph.shareSettings(bob).orElseThrow().shares("example.com"));
    }

    /**
     * alice-bob (bob asked) and alice-carol (alice asked) are accepted; alice-dave and erin-alice
     * are pending. bob and carol have share settings of their own.
     */
    private SocialFixture fixture() {
        return SocialFixture.builder()
                .user(new UserInfo(alice, "Alice", "Kim", "png"), ShareSettings.shareAll())
                .user(new UserInfo(bob, "Bob", "Lee", "jpg"),
                        new ShareSettings(ShareMode.DEFAULT_ALL, Set.of(), Set.of("BBC.co.uk", "example.com")))
                .user(new UserInfo(carol, "Carol", "Park", null),
                        new ShareSettings(ShareMode.DEFAULT_NONE, Set.of("github.com"), Set.of()))
                .user(new UserInfo(dave, "Dave", "Choi", null), ShareSettings.shareAll())
                .user(new UserInfo(erin, "Erin", "Jung", null), ShareSettings.shareAll())
                .accepted(bob, alice)
                .accepted(alice, carol)
                .pending(alice, dave)
                .pending(erin, alice)
                .build();
    }

    private static String id(String label) {
        return label + "-" + UUID.randomUUID();
    }
}
