package io.pagenow.postgres;

import io.pagenow.core.social.ShareMode;
import io.pagenow.core.social.ShareSettings;
import io.pagenow.core.social.port.out.SocialGraph;
import io.pagenow.core.social.UserInfo;
import io.pagenow.core.testing.SocialFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How the user service's rows read as friends, profiles and share settings. */
class PostgresSocialGraphBehaviourTest {

    private static TestStores db;
    private static SocialGraph graph;

    @BeforeAll
    static void openStores() {
        db = TestStores.open("social_behaviour");
        graph = db.stores.socialGraph();
    }

    @AfterAll
    static void closeStores() {
        db.close();
    }

    private record Users(String alice, String bob, String carol, String dave) {
        static Users fresh() {
            String run = UUID.randomUUID().toString().substring(0, 8);
            return new Users("alice-" + run, "bob-" + run, "carol-" + run, "dave-" + run);
        }
    }

    private static Users fill() throws SQLException {
        Users u = Users.fresh();
        SocialFixture fixture = SocialFixture.builder()
                .user(new UserInfo(u.alice(), "Alice", "Kim", "png"),
                        new ShareSettings(ShareMode.DEFAULT_ALL, Set.of(), Set.of("News.com", "bank.kr")))
                .user(new UserInfo(u.bob(), "Bob", "Lee", null),
                        new ShareSettings(ShareMode.DEFAULT_NONE, Set.of("github.com"), Set.of()))
                .user(new UserInfo(u.carol(), "Carol", "Park", "jpg"), ShareSettings.shareAll())
                .user(new UserInfo(u.dave(), "Dave", "Choi", null), ShareSettings.shareAll())
                .accepted(u.alice(), u.bob())
                .accepted(u.carol(), u.alice())
                .pending(u.dave(), u.alice())
                .pending(u.bob(), u.carol())
                .build();
        try (Connection c = db.schema.connect()) {
            PostgresSocialGraphTest.insert(c, fixture);
        }
        return u;
    }

    @Test
    void acceptedFriendshipsCountInBothDirectionsAndPendingOnesNot() throws SQLException {
        Users u = fill();

        assertEquals(Set.of(u.bob(), u.carol()), graph.friendsOf(u.alice()));
        assertEquals(Set.of(u.alice()), graph.friendsOf(u.bob()));
        assertEquals(Set.of(u.alice()), graph.friendsOf(u.carol()));
        assertEquals(Set.of(), graph.friendsOf(u.dave()));
        assertTrue(graph.areFriends(u.bob(), u.alice()));
        assertTrue(graph.areFriends(u.alice(), u.carol()));
        assertFalse(graph.areFriends(u.alice(), u.dave()));
        assertFalse(graph.areFriends(u.bob(), u.carol()));
        assertFalse(graph.areFriends(u.alice(), u.alice()));
        assertEquals(Set.of(), graph.friendsOf("nobody-" + UUID.randomUUID()));
    }

    @Test
    void profilesComeInTheOrderAskedAndUnknownIdsAreLeftOut() throws SQLException {
        Users u = fill();

        Map<String, UserInfo> users = graph.usersById(List.of(u.bob(), "ghost", u.alice()));

        assertEquals(List.of(u.bob(), u.alice()), List.copyOf(users.keySet()));
        assertEquals(new UserInfo(u.alice(), "Alice", "Kim", "png"), users.get(u.alice()));
        assertEquals(new UserInfo(u.bob(), "Bob", "Lee", null), users.get(u.bob()));
        assertEquals(Map.of(), graph.usersById(List.of()));
    }

    @Test
    void shareSettingsMapTheUserServiceColumns() throws SQLException {
        Users u = fill();

        ShareSettings alice = graph.shareSettings(u.alice()).orElseThrow();
        ShareSettings bob = graph.shareSettings(u.bob()).orElseThrow();

        assertEquals(ShareMode.DEFAULT_ALL, alice.mode());
        assertFalse(alice.shares("news.com"));
        assertTrue(alice.shares("github.com"));
        assertEquals(ShareMode.DEFAULT_NONE, bob.mode());
        assertTrue(bob.shares("github.com"));
        assertFalse(bob.shares("news.com"));
        assertEquals(Optional.empty(), graph.shareSettings("nobody-" + UUID.randomUUID()));
    }

    @Test
    void anUnknownShareModeIsNoKnownSettingAndNullArraysAreEmpty() throws SQLException {
        String odd = "odd-" + UUID.randomUUID();
        String sparse = "sparse-" + UUID.randomUUID();
        try (Connection c = db.schema.connect(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO user_table (user_id, email, first_name, last_name, share_mode)"
                    + " VALUES ('" + odd + "', '" + odd + "@x', 'O', 'D', 'friends_only')");
            // The user service's own table may allow NULL arrays; this project's does not, so drop the constraint here.
            s.execute("ALTER TABLE user_table ALTER COLUMN domain_allow_array DROP NOT NULL");
            s.execute("INSERT INTO user_table (user_id, email, first_name, last_name, share_mode, domain_allow_array)"
                    + " VALUES ('" + sparse + "', '" + sparse + "@x', 'S', 'P', 'default_none', NULL)");
        }

        assertEquals(Optional.empty(), graph.shareSettings(odd));
        assertEquals(Optional.of(new ShareSettings(ShareMode.DEFAULT_NONE, Set.of(), Set.of())),
                graph.shareSettings(sparse));
    }
}
