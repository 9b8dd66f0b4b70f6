package io.pagenow.core.presence;

import java.time.Instant;

/**
 * One user's presence as a friend sees it.
 *
 * @param page       {@code null} when offline
 * @param latestPage {@code null} when offline; {@link Page#EMPTY} when nothing shared yet
 * @param lastSeenAt {@code null} when never seen
 */
public record UserPresence(String userId, boolean online, Page page, Page latestPage, Instant lastSeenAt) {
}
