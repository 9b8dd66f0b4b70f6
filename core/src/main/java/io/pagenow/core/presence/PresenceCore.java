package io.pagenow.core.presence;

import io.pagenow.core.delivery.Deliveries;
import io.pagenow.core.presence.port.in.Presence;
import io.pagenow.core.presence.port.out.PresenceStore;
import io.pagenow.core.presence.port.out.RegistrableDomains;
import io.pagenow.core.social.port.out.SocialGraph;

import java.time.Clock;
import java.time.Duration;

/** Builds the presence use cases; the only way in from a composition root. */
public final class PresenceCore {

    /** No heartbeat or update for this long and a user is offline. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(3);

    private PresenceCore() {
    }

    public static Presence create(PresenceStore store, SocialGraph graph, RegistrableDomains domains,
                                  Deliveries deliveries, Clock clock, Duration timeout) {
        return new PresenceService(store, graph, new PageNormalizer(domains), deliveries, clock, timeout);
    }
}
