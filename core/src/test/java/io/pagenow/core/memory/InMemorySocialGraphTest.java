package io.pagenow.core.memory;

import io.pagenow.core.contract.SocialGraphContract;
import io.pagenow.core.social.ShareSettings;
import io.pagenow.core.social.port.out.SocialGraph;
import io.pagenow.core.social.UserInfo;
import io.pagenow.core.testing.SocialFixture;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class InMemorySocialGraphTest extends SocialGraphContract {

    @Override
    protected SocialGraph graph(SocialFixture fixture) {
        InMemorySocialGraph.Builder builder = InMemorySocialGraph.builder();
        for (UserInfo user : fixture.users()) {
            builder.user(user, fixture.shareSettings().get(user.userId()));
        }
        // The in-memory graph holds accepted friendships only; pending ones are simply not added.
        for (List<String> pair : fixture.acceptedFriendships()) {
            builder.friends(pair.get(0), pair.get(1));
        }
        return builder.build();
    }

    @Test
    void demoGraphHasTheFourUsersAndTheirFriendships() {
        InMemorySocialGraph demo = InMemorySocialGraph.demo();

        assertEquals(Set.of("bob", "carol"), demo.friendsOf("alice"));
        assertEquals(Set.of("alice", "carol"), demo.friendsOf("bob"));
        assertEquals(Set.of("alice", "bob"), demo.friendsOf("carol"));
        assertEquals(Set.of(), demo.friendsOf("dave"));
        assertEquals(List.of("alice", "bob", "carol", "dave"),
                List.copyOf(demo.usersById(List.of("alice", "bob", "carol", "dave")).keySet()));
        assertEquals("Alice", demo.usersById(List.of("alice")).get("alice").firstName());
        for (String user : List.of("alice", "bob", "carol", "dave")) {
            assertEquals(Optional.of(ShareSettings.shareAll()), demo.shareSettings(user));
        }
    }

    @Test
    void builderRefusesFriendshipsOfUnknownUsersAndWithOneself() {
        InMemorySocialGraph.Builder builder = InMemorySocialGraph.builder().user("alice", "Alice", "Kim");

        assertThrows(IllegalArgumentException.class, () -> builder.friends("alice", "zoe"));
        assertThrows(IllegalArgumentException.class, () -> builder.friends("alice", "alice"));
    }
}
