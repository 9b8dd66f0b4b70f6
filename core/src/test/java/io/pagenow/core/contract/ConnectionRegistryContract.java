package io.pagenow.core.contract;

import io.pagenow.core.delivery.Channel;
import io.pagenow.core.delivery.Connection;
import io.pagenow.core.delivery.port.out.ConnectionRegistry;
import io.pagenow.core.delivery.port.out.ConnectionRegistry.Removal;
import io.pagenow.core.testing.Concurrently;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The behaviour every {@link ConnectionRegistry} must have. {@link #registry()} returns an empty one. */
public abstract class ConnectionRegistryContract {

    protected abstract ConnectionRegistry registry();

    @Test
    public void aUserMayHoldManyConnectionsOnBothChannels() {
        ConnectionRegistry registry = registry();
        String alice = newUser("alice");
        Connection chatTab = connection(alice, Channel.CHAT, "node-1");
        Connection chatPhone = connection(alice, Channel.CHAT, "node-2");
        Connection presenceTab = connection(alice, Channel.PRESENCE, "node-1");
        Connection presencePhone = connection(alice, Channel.PRESENCE, "node-2");
        List.of(chatTab, chatPhone, presenceTab, presencePhone).forEach(registry::register);

        assertEquals(Set.of(chatTab, chatPhone), Set.copyOf(registry.connectionsOf(List.of(alice), Channel.CHAT)));
        assertEquals(2, registry.connectionsOf(List.of(alice), Channel.CHAT).size());
        assertEquals(Set.of(presenceTab, presencePhone),
                Set.copyOf(registry.connectionsOf(List.of(alice), Channel.PRESENCE)));
        assertEquals(2, registry.connectionsOf(List.of(alice), Channel.PRESENCE).size());
    }

    @Test
    public void connectionsOfListsOnlyTheGivenUsersOnTheGivenChannel() {
        ConnectionRegistry registry = registry();
        String alice = newUser("alice");
        String bob = newUser("bob");
        String carol = newUser("carol");
        Connection aliceChat = connection(alice, Channel.CHAT, "node-1");
        Connection bobChat = connection(bob, Channel.CHAT, "node-2");
        Connection bobPresence = connection(bob, Channel.PRESENCE, "node-2");
        Connection carolChat = connection(carol, Channel.CHAT, "node-1");
        List.of(aliceChat, bobChat, bobPresence, carolChat).forEach(registry::register);

        assertEquals(Set.of(aliceChat, bobChat), Set.copyOf(registry.connectionsOf(List.of(alice, bob), Channel.CHAT)));
        assertEquals(List.of(bobPresence), registry.connectionsOf(List.of(alice, bob), Channel.PRESENCE));
        assertEquals(List.of(carolChat), registry.connectionsOf(Set.of(carol), Channel.CHAT));
        assertEquals(List.of(), registry.connectionsOf(List.of(carol), Channel.PRESENCE));
        assertEquals(List.of(), registry.connectionsOf(List.of(newUser("nobody")), Channel.CHAT));
        assertEquals(List.of(), registry.connectionsOf(List.of(), Channel.CHAT));
    }

    @Test
    public void theNodeHoldingAConnectionIsKept() {
        ConnectionRegistry registry = registry();
        String alice = newUser("alice");
        Connection onNodeTwo = connection(alice, Channel.CHAT, "node-two");

        registry.register(onNodeTwo);

        Connection listed = registry.connectionsOf(List.of(alice), Channel.CHAT).get(0);
        assertEquals(onNodeTwo.id(), listed.id());
        assertEquals(alice, listed.userId());
        assertEquals(Channel.CHAT, listed.channel());
        assertEquals("node-two", listed.nodeId());
    }

    @Test
    public void registeringTheSameIdAgainReplacesTheConnection() {
        ConnectionRegistry registry = registry();
        String alice = newUser("alice");
        String id = UUID.randomUUID().toString();
        Connection first = new Connection(id, alice, Channel.CHAT, "node-1");
        Connection moved = new Connection(id, alice, Channel.CHAT, "node-2");

        registry.register(first);
        registry.register(moved);

        assertEquals(List.of(moved), registry.connectionsOf(List.of(alice), Channel.CHAT));
        assertEquals(Optional.of(new Removal(moved, 0)), registry.unregister(id));
        assertEquals(List.of(), registry.connectionsOf(List.of(alice), Channel.CHAT));
    }

    @Test
    public void unregisterTellsWhatRemainsOnTheSameChannel() {
        ConnectionRegistry registry = registry();
        String alice = newUser("alice");
        Connection chat1 = connection(alice, Channel.CHAT, "node-1");
        Connection chat2 = connection(alice, Channel.CHAT, "node-1");
        Connection chat3 = connection(alice, Channel.CHAT, "node-2");
        Connection presence = connection(alice, Channel.PRESENCE, "node-1");
        List.of(chat1, chat2, chat3, presence).forEach(registry::register);

        assertEquals(Optional.of(new Removal(chat1, 2)), registry.unregister(chat1.id()));
        assertEquals(Optional.of(new Removal(presence, 0)), registry.unregister(presence.id()),
                "chat connections do not count for the presence channel");
        assertEquals(Optional.of(new Removal(chat3, 1)), registry.unregister(chat3.id()));
        assertEquals(List.of(chat2), registry.connectionsOf(List.of(alice), Channel.CHAT));
        assertEquals(List.of(), registry.connectionsOf(List.of(alice), Channel.PRESENCE));
        assertEquals(Optional.of(new Removal(chat2, 0)), registry.unregister(chat2.id()));
        assertEquals(List.of(), registry.connectionsOf(List.of(alice), Channel.CHAT));
    }

    @Test
    public void otherUsersConnectionsDoNotCount() {
        ConnectionRegistry registry = registry();
        String alice = newUser("alice");
        String bob = newUser("bob");
        Connection alicePresence = connection(alice, Channel.PRESENCE, "node-1");
        Connection bobPresence = connection(bob, Channel.PRESENCE, "node-1");
        registry.register(alicePresence);
        registry.register(bobPresence);

        assertEquals(Optional.of(new Removal(alicePresence, 0)), registry.unregister(alicePresence.id()));
        assertEquals(List.of(bobPresence), registry.connectionsOf(List.of(bob), Channel.PRESENCE));
    }

    @Test
    public void unregisteringAnUnknownConnectionFindsNothing() {
        ConnectionRegistry registry = registry();

        assertEquals(Optional.empty(), registry.unregister(UUID.randomUUID().toString()));
    }

    @Test
    public void onlyTheFirstUnregisterSeesTheRemoval() {
        ConnectionRegistry registry = registry();
        Connection connection = connection(newUser("alice"), Channel.PRESENCE, "node-1");
        registry.register(connection);

        assertEquals(Optional.of(new Removal(connection, 0)), registry.unregister(connection.id()));
        assertEquals(Optional.empty(), registry.unregister(connection.id()));
    }

    @Test
    public void concurrentUnregistersOfOneConnectionSeeTheRemovalOnce() throws Exception {
        ConnectionRegistry registry = registry();
        String alice = newUser("alice");
        Connection connection = connection(alice, Channel.PRESENCE, "node-1");
        Connection other = connection(alice, Channel.PRESENCE, "node-1");
        registry.register(connection);
        registry.register(other);

        List<Optional<Removal>> results = Concurrently.run(16, () -> registry.unregister(connection.id()));

        List<Removal> seen = results.stream().flatMap(Optional::stream).toList();
        assertEquals(List.of(new Removal(connection, 1)), seen);
        assertEquals(List.of(other), registry.connectionsOf(List.of(alice), Channel.PRESENCE));
    }

    @Test
    public void concurrentUnregistersOfAUsersConnectionsLetExactlyOneSeeTheLastGo() throws Exception {
        ConnectionRegistry registry = registry();
        String alice = newUser("alice");
        int count = 12;
        List<Connection> connections = IntStream.range(0, count)
                .mapToObj(i -> connection(alice, Channel.PRESENCE, "node-" + (i % 3)))
                .toList();
        connections.forEach(registry::register);
        Connection chat = connection(alice, Channel.CHAT, "node-1");
        registry.register(chat);

        List<Optional<Removal>> results = Concurrently.run(count,
                i -> registry.unregister(connections.get(i).id()));

        List<Integer> remaining = results.stream().map(r -> r.orElseThrow().remainingOnChannel()).sorted().toList();
        assertEquals(IntStream.range(0, count).boxed().toList(), remaining,
                "each removal saw a distinct count, and exactly one saw none left");
        assertEquals(List.of(), registry.connectionsOf(List.of(alice), Channel.PRESENCE));
        assertEquals(List.of(chat), registry.connectionsOf(List.of(alice), Channel.CHAT));
    }

    @Test
    public void concurrentRegistrationsAreAllKept() throws Exception {
        ConnectionRegistry registry = registry();
        String alice = newUser("alice");
        String bob = newUser("bob");
        int threads = 8;
        int perThread = 20;

        List<List<Connection>> registered = Concurrently.run(threads, index -> {
            List<Connection> mine = new ArrayList<>();
            for (int i = 0; i < perThread; i++) {
                Connection connection = connection(index % 2 == 0 ? alice : bob,
                        i % 2 == 0 ? Channel.CHAT : Channel.PRESENCE, "node-" + index);
                registry.register(connection);
                mine.add(connection);
            }
            return mine;
        });

        Set<Connection> all = registered.stream().flatMap(List::stream).collect(Collectors.toSet());
        Set<Connection> listed = new HashSet<>(registry.connectionsOf(List.of(alice, bob), Channel.CHAT));
        listed.addAll(registry.connectionsOf(List.of(alice, bob), Channel.PRESENCE));
        assertEquals(all, listed);
        assertEquals(threads * perThread, all.size());
    }

    @Test
    public void aConnectionRegisteredAgainAfterRemovalIsListed() {
        ConnectionRegistry registry = registry();
        String alice = newUser("alice");
        Connection connection = connection(alice, Channel.CHAT, "node-1");
        registry.register(connection);
        registry.unregister(connection.id());

        registry.register(connection);

        assertEquals(List.of(connection), registry.connectionsOf(List.of(alice), Channel.CHAT));
        assertTrue(registry.unregister(connection.id()).isPresent());
    }

    /** A user id no other test uses, so registries shared between runs cannot mix tests up. */
    @Test
    public void findsARegisteredConnectionWithItsUserChannelAndNode() {
        ConnectionRegistry registry = registry();
        Connection chat = new Connection(lookupId(), "alice-" + lookupId(), Channel.CHAT, "apigw");
        Connection presence = new Connection(lookupId() + "=", chat.userId(), Channel.PRESENCE, "node-2");
        registry.register(chat);
        registry.register(presence);

        assertEquals(Optional.of(chat), registry.find(chat.id()));
        assertEquals(Optional.of(presence), registry.find(presence.id()));
    }

    @Test
    public void findsNothingForAnUnknownOrUnregisteredConnection() {
        ConnectionRegistry registry = registry();
        Connection connection = new Connection(lookupId(), "bob-" + lookupId(), Channel.CHAT, "apigw");
        registry.register(connection);
        registry.unregister(connection.id());

        assertEquals(Optional.empty(), registry.find(connection.id()));
        assertEquals(Optional.empty(), registry.find(lookupId()));
    }

    @Test
    public void registeringAnIdAgainFindsTheNewConnection() {
        ConnectionRegistry registry = registry();
        String id = lookupId();
        registry.register(new Connection(id, "carol-" + lookupId(), Channel.CHAT, "node-1"));
        Connection again = new Connection(id, "dave-" + lookupId(), Channel.PRESENCE, "node-2");
        registry.register(again);

        assertEquals(Optional.of(again), registry.find(id));
    }

    private static String lookupId() {
        return UUID.randomUUID().toString();
    }

    protected String newUser(String label) {
        return label + "-" + UUID.randomUUID();
    }

    private static Connection connection(String userId, Channel channel, String nodeId) {
        return new Connection(UUID.randomUUID().toString(), userId, channel, nodeId);
    }
}
