package io.pagenow.core.delivery.port.out;

import io.pagenow.core.delivery.Channel;
import io.pagenow.core.delivery.Connection;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Outbound port: which connections each user holds, on every node. */
public interface ConnectionRegistry {

    /** Records an open connection. Registering the same id again replaces it. */
    void register(Connection connection);

    /**
     * Forgets a connection, atomically telling how many connections of the same user and
     * channel remain, so that exactly one caller sees the last one go.
     *
     * @return empty when the connection was not registered (already removed)
     */
    Optional<Removal> unregister(String connectionId);

    /**
     * The open connection with this id, on any node. A gateway that authenticates only the opening
     * request (API Gateway's {@code $connect}) learns who sends each later frame from here.
     */
    Optional<Connection> find(String connectionId);

    /** Every connection on {@code channel} of any of the users, in no particular order. */
    List<Connection> connectionsOf(Collection<String> userIds, Channel channel);

    /** The result of {@link #unregister}. */
    record Removal(Connection connection, int remainingOnChannel) {
    }
}
