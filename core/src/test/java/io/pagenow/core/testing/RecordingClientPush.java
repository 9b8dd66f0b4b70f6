package io.pagenow.core.testing;

import io.pagenow.core.delivery.port.out.ClientPush;
import io.pagenow.core.delivery.Connection;
import io.pagenow.core.delivery.Event;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** A client push that records every delivery; connections marked gone are reported as such. */
public final class RecordingClientPush implements ClientPush {

    /** One event delivered to one connection. */
    public record Delivery(Connection connection, Event event) {
    }

    private final List<Delivery> deliveries = new ArrayList<>();
    private final Set<String> gone = ConcurrentHashMap.newKeySet();

    @Override
    public synchronized Set<String> push(List<Connection> targets, Event event) {
        Set<String> found = new HashSet<>();
        for (Connection target : targets) {
            if (gone.contains(target.id())) {
                found.add(target.id());
            } else {
                deliveries.add(new Delivery(target, event));
            }
        }
        return found;
    }

    /** From now on, pushes to this connection report it gone. */
    public void markGone(String connectionId) {
        gone.add(connectionId);
    }

    public synchronized List<Delivery> deliveries() {
        return List.copyOf(deliveries);
    }

    /** The events delivered to one connection, in order. */
    public synchronized List<Event> eventsFor(String connectionId) {
        return deliveries.stream().filter(d -> d.connection().id().equals(connectionId)).map(Delivery::event).toList();
    }

    /** The ids of the connections that received events equal to {@code event}. */
    public synchronized Set<String> recipientsOf(Event event) {
        Set<String> ids = new HashSet<>();
        deliveries.stream().filter(d -> d.event().equals(event)).forEach(d -> ids.add(d.connection().id()));
        return ids;
    }

    public synchronized void clear() {
        deliveries.clear();
    }
}
