package io.pagenow.core.social.port.out;

import io.pagenow.core.social.ShareSettings;
import io.pagenow.core.social.UserInfo;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Outbound port: the user service's users, accepted friendships and share settings (read only). */
public interface SocialGraph {

    /** The users with an accepted friendship with {@code userId}, in either direction. */
    Set<String> friendsOf(String userId);

    /** Whether the two users have an accepted friendship. */
    default boolean areFriends(String userA, String userB) {
        return friendsOf(userA).contains(userB);
    }

    /** The profiles of those of the users that exist; unknown ids are left out. */
    Map<String, UserInfo> usersById(Collection<String> userIds);

    /** The user's share settings, when the user service knows them. */
    Optional<ShareSettings> shareSettings(String userId);
}
