package io.pagenow.core.presence;

import io.pagenow.core.delivery.Channel;
import io.pagenow.core.delivery.Connection;
import io.pagenow.core.delivery.port.out.ConnectionRegistry;
import io.pagenow.core.delivery.Deliveries;
import io.pagenow.core.delivery.Event;
import io.pagenow.core.error.ForbiddenException;
import io.pagenow.core.error.InvalidInputException;
import io.pagenow.core.error.PlainText;
import io.pagenow.core.presence.port.in.Presence;
import io.pagenow.core.presence.port.out.PresenceStore;
import io.pagenow.core.social.port.out.SocialGraph;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

final class PresenceService implements Presence {

    static final int MAX_USER_ID_LENGTH = 128;

    private final PresenceStore store;
    private final SocialGraph graph;
    private final PageNormalizer pages;
    private final Deliveries deliveries;
    private final Clock clock;
    private final Duration timeout;

    PresenceService(PresenceStore store, SocialGraph graph, PageNormalizer pages, Deliveries deliveries,
                    Clock clock, Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("presence timeout must be positive, was " + timeout);
        }
        this.store = store;
        this.graph = graph;
        this.pages = pages;
        this.deliveries = deliveries;
        this.clock = clock;
        this.timeout = timeout;
    }

    @Override
    public void connect(Connection connection) {
        if (connection.channel() != Channel.PRESENCE) {
            throw new IllegalArgumentException("not a presence connection: " + connection.channel());
        }
        deliveries.registry().register(connection);
        heartbeat(connection.userId());
    }

    @Override
    public void disconnect(String connectionId) {
        deliveries.registry().unregister(connectionId).ifPresent(this::connectionLost);
    }

    /**
     * A connection closed or was found gone. Only the last presence socket takes the user offline;
     * chat sockets do not count either way.
     */
    private void connectionLost(ConnectionRegistry.Removal removal) {
        if (removal.connection().channel() != Channel.PRESENCE || removal.remainingOnChannel() > 0) {
            return;
        }
        String userId = removal.connection().userId();
        if (store.goOffline(userId)) {
            deliver(graph.friendsOf(userId), new Event.PresenceTimeout(userId));
        }
    }

    /** Pushes, and treats connections found gone like closed ones. */
    private void deliver(Collection<String> userIds, Event event) {
        deliveries.toUsers(userIds, event).forEach(this::connectionLost);
    }

    @Override
    public void heartbeat(String userId) {
        if (store.touch(userId, now())) {
            // Friends learn the user is back: online, on no shared page yet.
            publish(userId, Page.EMPTY, Page.EMPTY);
        }
    }

    @Override
    public void updatePresence(String userId, String url, String title) {
        if (url == null) {
            throw InvalidInputException.missing("url");
        }
        if (title == null) {
            throw InvalidInputException.missing("title");
        }
        PlainText.require("url", url);
        PlainText.require("title", title);
        // Never refused for its length or scheme: friends would go on seeing the page the user left.
        Page page = pages.normalize(url, title, graph.shareSettings(userId));
        // The write and the lookup of whom to tell, together: one round trip where the store allows.
        PresenceStore.Update update = store.updateAndFindAudience(userId, page, page.isEmpty() ? null : page, now(),
                audience(userId), deliveries.registry());
        PresenceState state = update.state();
        deliveries.toConnections(update.audience(), presenceUpdate(userId, state.page(), state.latestPage()))
                .forEach(this::connectionLost);
    }

    @Override
    public int sweep() {
        List<String> timedOut = store.sweep(now().minus(timeout));
        for (String userId : timedOut) {
            deliver(graph.friendsOf(userId), new Event.PresenceTimeout(userId));
        }
        return timedOut.size();
    }

    @Override
    public PresenceOverview overview(String callerId) {
        Set<String> friends = graph.friendsOf(callerId);
        Set<String> everyone = new LinkedHashSet<>();
        everyone.add(callerId);
        everyone.addAll(friends);
        Map<String, PresenceState> states = store.find(everyone);
        Instant now = now();
        List<UserPresence> friendPresence = new ArrayList<>(friends.size());
        for (String friend : friends) {
            friendPresence.add(view(friend, states.get(friend), now));
        }
        return new PresenceOverview(view(callerId, states.get(callerId), now), friendPresence,
                graph.usersById(everyone));
    }

    @Override
    public Optional<Page> pageOf(String callerId, String userId) {
        if (userId == null || userId.isEmpty() || userId.length() > MAX_USER_ID_LENGTH) {
            throw new InvalidInputException("'userId' must be 1 to " + MAX_USER_ID_LENGTH + " characters");
        }
        PlainText.require("userId", userId);
        if (!callerId.equals(userId) && !graph.areFriends(callerId, userId)) {
            throw new ForbiddenException("Only the user and accepted friends may see " + userId + "'s page");
        }
        UserPresence presence = view(userId, store.find(List.of(userId)).get(userId), now());
        return Optional.ofNullable(presence.page());
    }

    /**
     * Online needs live state and a recent heartbeat: between sweeps a silent user already reads
     * offline. The bound is the sweep's own (last seen not before now - timeout), so nobody reads
     * offline whom the sweep would still keep.
     */
    private UserPresence view(String userId, PresenceState state, Instant now) {
        if (state == null) {
            return new UserPresence(userId, false, null, null, null);
        }
        boolean online = state.live() && !state.lastSeenAt().isBefore(now.minus(timeout));
        return online
                ? new UserPresence(userId, true, state.page(), state.latestPage(), state.lastSeenAt())
                : new UserPresence(userId, false, null, null, state.lastSeenAt());
    }

    private void publish(String userId, Page page, Page latest) {
        deliver(audience(userId), presenceUpdate(userId, page, latest));
    }

    /** Who hears of a user's presence: the user's friends and the user's own other sockets. */
    private Set<String> audience(String userId) {
        Set<String> audience = new LinkedHashSet<>(graph.friendsOf(userId));
        audience.add(userId);
        return audience;
    }

    private static Event.PresenceUpdate presenceUpdate(String userId, Page page, Page latest) {
        return new Event.PresenceUpdate(userId, page.url(), page.title(), page.domain(),
                latest.url(), latest.title(), latest.domain());
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
