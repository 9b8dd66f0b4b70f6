package io.pagenow.core.delivery.port.out;

import io.pagenow.core.delivery.Connection;
import io.pagenow.core.delivery.Event;

import java.util.List;
import java.util.Set;

/**
 * Outbound port: hands an event to client sockets. Implementations encode the event once for
 * all targets and never throw for a single failed target.
 */
public interface ClientPush {

    /**
     * Sends {@code event} to each target.
     *
     * @return the ids of targets that no longer exist anywhere (closed, or held by no node), so
     *         the caller can drop them from the registry; a push that relays to other nodes may
     *         leave a target closed on a live node to that node, which drops it itself
     */
    Set<String> push(List<Connection> targets, Event event);
}
