package io.pagenow.core.testing;

import io.pagenow.core.social.ShareSettings;
import io.pagenow.core.social.UserInfo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The users, friendships and share settings a social graph contract test starts from. User ids
 * are unique per test, so implementations may keep earlier tests' rows.
 */
public record SocialFixture(List<UserInfo> users, Map<String, ShareSettings> shareSettings,
                            List<List<String>> acceptedFriendships, List<List<String>> pendingFriendships) {

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private final List<UserInfo> users = new ArrayList<>();
        private final Map<String, ShareSettings> settings = new LinkedHashMap<>();
        private final List<List<String>> accepted = new ArrayList<>();
        private final List<List<String>> pending = new ArrayList<>();

        public Builder user(UserInfo info, ShareSettings shareSettings) {
            users.add(info);
            settings.put(info.userId(), shareSettings);
            return this;
        }

        /** {@code requester} asked {@code addressee}, who accepted. */
        public Builder accepted(String requester, String addressee) {
            accepted.add(List.of(requester, addressee));
            return this;
        }

        /** {@code requester} asked {@code addressee}, who has not answered. */
        public Builder pending(String requester, String addressee) {
            pending.add(List.of(requester, addressee));
            return this;
        }

        public SocialFixture build() {
            return new SocialFixture(List.copyOf(users), Map.copyOf(settings), List.copyOf(accepted),
                    List.copyOf(pending));
        }
    }
}
