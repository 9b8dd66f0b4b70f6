package io.pagenow.core.delivery;

import io.pagenow.core.delivery.port.out.ClientPush;
import io.pagenow.core.delivery.port.out.ConnectionRegistry;

import java.util.ArrayList;
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

    /**
     * Pushes {@code event} to every connection, on the event's channel, of each user.
     *
     * @return the connections found gone and therefore unregistered, so the caller can react to a
     *         user's last connection going away
     */
    public List<ConnectionRegistry.Removal> toUsers(Collection<String> userIds, Event event) {
        if (userIds.isEmpty()) {
            return List.of();
        }
        return toConnections(registry.connectionsOf(userIds, event.channel()), event);
    }

    /**
     * Pushes {@code event} to connections already looked up in the registry (e.g. in the same round
     * trip as a store's write).
     *
     * @return as {@link #toUsers}
     */
    public List<ConnectionRegistry.Removal> toConnections(List<Connection> targets, Event event) {
        if (targets.isEmpty()) {
            return List.of();
        }
        Set<String> gone = push.push(targets, event);
        List<ConnectionRegistry.Removal> removals = new ArrayList<>(gone.size());
        for (String connectionId : gone) {
            registry.unregister(connectionId).ifPresent(removals::add);
        }
        return removals;
    }

    public ConnectionRegistry registry() {
        return registry;
    }
}
