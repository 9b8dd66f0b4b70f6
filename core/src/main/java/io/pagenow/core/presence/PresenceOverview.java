package io.pagenow.core.presence;

import io.pagenow.core.social.UserInfo;

import java.util.List;
import java.util.Map;

/** The caller's own presence, each friend's, and the profiles of all of them. */
public record PresenceOverview(UserPresence self, List<UserPresence> friends, Map<String, UserInfo> users) {
}
