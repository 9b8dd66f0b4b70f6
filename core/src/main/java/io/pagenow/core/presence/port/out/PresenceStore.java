package io.pagenow.core.presence.port.out;

import io.pagenow.core.delivery.Channel;
import io.pagenow.core.delivery.Connection;
import io.pagenow.core.delivery.port.out.ConnectionRegistry;
import io.pagenow.core.presence.Page;
import io.pagenow.core.presence.PresenceState;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** Outbound port: who is live, on which page, and when each user was last seen. Each method is atomic. */
public interface PresenceStore {

    /**
     * Sets the user's last-seen time and makes the user live, with empty pages when not live before.
     *
     * @return true when the user was not live before this call
     */
    boolean touch(String userId, Instant now);

    /**
     * Sets the current page and, when {@code latestShared} is not null, the latest shared page;
     * sets last-seen and makes the user live.
     *
     * @return the state after the update
     */
    PresenceState update(String userId, Page current, Page latestShared, Instant now);

    /**
     * {@link #update}, and the connections on {@link Channel#PRESENCE} that {@code registry} holds
     * for {@code audience}: the ones the update is pushed to. Every update is pushed, so a store kept
     * beside the registry (Redis) answers both in one round trip; by default each is asked in turn.
     */
    default Update updateAndFindAudience(String userId, Page current, Page latestShared, Instant now,
                                         Collection<String> audience, ConnectionRegistry registry) {
        PresenceState state = update(userId, current, latestShared, now);
        return new Update(state, audience.isEmpty() ? List.of() : registry.connectionsOf(audience, Channel.PRESENCE));
    }

    /** The state of each of the users that was ever seen. */
    Map<String, PresenceState> find(Collection<String> userIds);

    /**
     * Drops the user's live state (pages), keeping last-seen.
     *
     * @return true when the user was live, so exactly one of concurrent callers sees it
     */
    boolean goOffline(String userId);

    /**
     * Takes every live user last seen before {@code cutoff} offline, as {@link #goOffline} does.
     *
     * @return the users taken offline; with concurrent callers each user is returned to one of them
     */
    List<String> sweep(Instant cutoff);

    /** The result of {@link #updateAndFindAudience}: the state after the update and whom to push it to. */
    record Update(PresenceState state, List<Connection> audience) {
    }
}
