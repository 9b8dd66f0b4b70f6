package io.pagenow.core.memory;

import io.pagenow.core.presence.Page;
import io.pagenow.core.presence.PresenceState;
import io.pagenow.core.presence.port.out.PresenceStore;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Presence of a single node; every change to a user goes through {@code compute}, so it is atomic. */
public final class InMemoryPresenceStore implements PresenceStore {

    private final Map<String, PresenceState> states = new ConcurrentHashMap<>();

    @Override
    public boolean touch(String userId, Instant now) {
        boolean[] cameOnline = new boolean[1];
        states.compute(userId, (user, state) -> {
            if (state == null || !state.live()) {
                cameOnline[0] = true;
                return new PresenceState(user, true, Page.EMPTY, Page.EMPTY, now);
            }
            return new PresenceState(user, true, state.page(), state.latestPage(), now);
        });
        return cameOnline[0];
    }

    @Override
    public PresenceState update(String userId, Page current, Page latestShared, Instant now) {
        return states.compute(userId, (user, state) -> {
            Page latest = latestShared != null ? latestShared
                    : state != null && state.live() ? state.latestPage() : Page.EMPTY;
            return new PresenceState(user, true, current, latest, now);
        });
    }

    @Override
    public Map<String, PresenceState> find(Collection<String> userIds) {
        Map<String, PresenceState> found = new HashMap<>();
        for (String userId : userIds) {
            PresenceState state = states.get(userId);
            if (state != null) {
                found.put(userId, state);
            }
        }
        return found;
    }

    @Override
    public boolean goOffline(String userId) {
        boolean[] wasLive = new boolean[1];
        states.computeIfPresent(userId, (user, state) -> {
            wasLive[0] = state.live();
            return offline(state);
        });
        return wasLive[0];
    }

    @Override
    public List<String> sweep(Instant cutoff) {
        List<String> taken = new ArrayList<>();
        for (String userId : states.keySet()) {
            states.computeIfPresent(userId, (user, state) -> {
                if (state.live() && state.lastSeenAt().isBefore(cutoff)) {
                    taken.add(user);
                    return offline(state);
                }
                return state;
            });
        }
        return taken;
    }

    private static PresenceState offline(PresenceState state) {
        return new PresenceState(state.userId(), false, null, null, state.lastSeenAt());
    }
}
