package io.pagenow.core.presence.port.in;

import io.pagenow.core.delivery.Connection;
import io.pagenow.core.presence.Page;
import io.pagenow.core.presence.PresenceOverview;

import java.util.Optional;

/** Inbound port: every presence use case. {@code callerId} / {@code userId} is the authenticated user. */
public interface Presence {

    /** A presence socket opened: the user is online now. */
    void connect(Connection connection);

    /** A presence socket closed: the last one takes the user offline at once. */
    void disconnect(String connectionId);

    /** The user is still there. */
    void heartbeat(String userId);

    /**
     * The user is on this page ({@code url} empty: a page the user does not share). Accepted
     * whatever its length or scheme: friends see it shortened, or as no page when it is not http(s).
     */
    void updatePresence(String userId, String url, String title);

    /**
     * Takes offline every user with no heartbeat or update for the timeout and tells their friends.
     *
     * @return how many users this call took offline
     */
    int sweep();

    PresenceOverview overview(String callerId);

    /** The user's current page, empty when offline; only the user and accepted friends may ask. */
    Optional<Page> pageOf(String callerId, String userId);
}
