package io.pagenow.core.memory;

import io.pagenow.core.social.ShareSettings;
import io.pagenow.core.social.port.out.SocialGraph;
import io.pagenow.core.social.UserInfo;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** An immutable social graph, built once: the embedded default and the graph of tests. */
public final class InMemorySocialGraph implements SocialGraph {

    private final Map<String, UserInfo> users;
    private final Map<String, Set<String>> friends;
    private final Map<String, ShareSettings> settings;

    private InMemorySocialGraph(Builder builder) {
        this.users = Map.copyOf(builder.users);
        Map<String, Set<String>> frozen = new HashMap<>();
        builder.friends.forEach((user, set) -> frozen.put(user, Set.copyOf(set)));
        this.friends = Map.copyOf(frozen);
        this.settings = Map.copyOf(builder.settings);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The demo graph of development mode: alice, bob, carol and dave; alice-bob, alice-carol and
     * bob-carol are friends, dave has none; everyone shares every page.
     */
    public static InMemorySocialGraph demo() {
        return builder()
                .user("alice", "Alice", "Kim")
                .user("bob", "Bob", "Lee")
                .user("carol", "Carol", "Park")
                .user("dave", "Dave", "Choi")
                .friends("alice", "bob")
                .friends("alice", "carol")
                .friends("bob", "carol")
                .build();
    }

    @Override
    public Set<String> friendsOf(String userId) {
        return friends.getOrDefault(userId, Set.of());
    }

    @Override
    public Map<String, UserInfo> usersById(Collection<String> userIds) {
        Map<String, UserInfo> found = new LinkedHashMap<>();
        for (String userId : userIds) {
            UserInfo info = users.get(userId);
            if (info != null) {
                found.put(userId, info);
            }
        }
        return found;
    }

    @Override
    public Optional<ShareSettings> shareSettings(String userId) {
        return Optional.ofNullable(settings.get(userId));
    }

    public static final class Builder {
        private final Map<String, UserInfo> users = new LinkedHashMap<>();
        private final Map<String, Set<String>> friends = new HashMap<>();
        private final Map<String, ShareSettings> settings = new HashMap<>();

        private Builder() {
        }

        /** Adds a user who shares every page. */
        public Builder user(String userId, String firstName, String lastName) {
            return user(new UserInfo(userId, firstName, lastName, null), ShareSettings.shareAll());
        }

        public Builder user(UserInfo info, ShareSettings shareSettings) {
            users.put(info.userId(), info);
            settings.put(info.userId(), shareSettings);
            return this;
        }

        /** An accepted friendship; both users must have been added. */
        public Builder friends(String userA, String userB) {
            for (String user : new String[] {userA, userB}) {
                if (!users.containsKey(user)) {
                    throw new IllegalArgumentException("unknown user in friendship: " + user);
                }
            }
            if (userA.equals(userB)) {
                throw new IllegalArgumentException("a user cannot befriend themselves: " + userA);
            }
            friends.computeIfAbsent(userA, u -> new HashSet<>()).add(userB);
            friends.computeIfAbsent(userB, u -> new HashSet<>()).add(userA);
            return this;
        }

        public InMemorySocialGraph build() {
            return new InMemorySocialGraph(this);
        }
    }
}
