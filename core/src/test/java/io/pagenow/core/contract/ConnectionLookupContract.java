package io.pagenow.core.contract;

import io.pagenow.core.delivery.Channel;
import io.pagenow.core.delivery.Connection;
import io.pagenow.core.delivery.ConnectionRegistry;
import org.junit.jupiter.api.Test;

import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link ConnectionRegistry#find}: the behaviour every registry must have for a transport that
 * learns a frame's sender from its connection id. {@link #registry()} returns an empty registry.
 */
public abstract class ConnectionLookupContract {

    protected abstract ConnectionRegistry registry();

    @Test
    public void findsARegisteredConnectionWithItsUserChannelAndNode() {
        ConnectionRegistry registry = registry();
        Connection chat = new Connection(id(), "alice-" + id(), Channel.CHAT, "apigw");
        Connection presence = new Connection(id() + "=", chat.userId(), Channel.PRESENCE, "node-2");
        registry.register(chat);
        registry.register(presence);

        assertEquals(Optional.of(chat), registry.find(chat.id()));
        assertEquals(Optional.of(presence), registry.find(presence.id()));
    }

    @Test
    public void findsNothingForAnUnknownOrUnregisteredConnection() {
        ConnectionRegistry registry = registry();
        Connection connection = new Connection(id(), "bob-" + id(), Channel.CHAT, "apigw");
        registry.register(connection);
        registry.unregister(connection.id());

        assertEquals(Optional.empty(), registry.find(connection.id()));
        assertEquals(Optional.empty(), registry.find(id()));
    }

    @Test
    public void registeringAnIdAgainFindsTheNewConnection() {
        ConnectionRegistry registry = registry();
        String id = id();
        registry.register(new Connection(id, "carol-" + id(), Channel.CHAT, "node-1"));
        Connection again = new Connection(id, "dave-" + id(), Channel.PRESENCE, "node-2");
        registry.register(again);

        assertEquals(Optional.of(again), registry.find(id));
    }

    private static String id() {
        return UUID.randomUUID().toString();
    }
}
