package io.pagenow.core.presence;

import java.time.Instant;

/**
 * What the presence store holds of one user.
 *
 * @param live       whether the user has live state (came online and has not been taken offline)
 * @param page       current page; {@code null} when not live
 * @param latestPage latest shared page, {@link Page#EMPTY} when none yet; {@code null} when not live
 * @param lastSeenAt last heartbeat or update, kept after the user goes offline
 */
public record PresenceState(String userId, boolean live, Page page, Page latestPage, Instant lastSeenAt) {
}
