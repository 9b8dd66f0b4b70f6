package io.pagenow.core.delivery;

import java.util.Collection;
import java.util.List;
import java.util.Set;

/** Fans an event out to every connection of some users and forgets connections found gone. */
public final class Deliveries {

    private final ConnectionRegistry registry;
    private final ClientPush push;

    public Deliveries(ConnectionRegistry registry, ClientPush push) {
        this.registry = registry;
        this.push = push;
    }

    /** Pushes {@code event} to every connection, on the event's channel, of each user. */
    public void toUsers(Collection<String> userIds, Event event) {
        if (userIds.isEmpty()) {
            return;
        }
        List<Connection> targets = registry.connectionsOf(userIds, event.channel());
        if (targets.isEmpty()) {
            return;
        }
        Set<String> gone = push.push(targets, event);
        gone.forEach(registry::unregister);
    }

    public ConnectionRegistry registry() {
        return registry;
    }
}
