package io.pagenow.core.memory;

import io.pagenow.core.delivery.Channel;
import io.pagenow.core.delivery.Connection;
import io.pagenow.core.delivery.port.out.ConnectionRegistry;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The connection registry of a single node. */
public final class InMemoryConnectionRegistry implements ConnectionRegistry {

    private final Map<String, Connection> byId = new ConcurrentHashMap<>();
    /** Per user; every change to one user's list happens inside {@code compute}, so it is atomic. */
    private final Map<String, List<Connection>> byUser = new ConcurrentHashMap<>();

    @Override
    public void register(Connection connection) {
        unregister(connection.id());
        byUser.compute(connection.userId(), (user, list) -> {
            List<Connection> next = list == null ? new ArrayList<>(2) : new ArrayList<>(list);
            next.add(connection);
            byId.put(connection.id(), connection);
            return List.copyOf(next);
        });
    }

    @Override
    public Optional<Removal> unregister(String connectionId) {
        Connection known = byId.get(connectionId);
        if (known == null) {
            return Optional.empty();
        }
        Removal[] removal = new Removal[1];
        byUser.computeIfPresent(known.userId(), (user, list) -> {
            if (byId.remove(connectionId) == null) {
                return list;
            }
            List<Connection> next = list.stream().filter(c -> !c.id().equals(connectionId)).toList();
            int remaining = (int) next.stream().filter(c -> c.channel() == known.channel()).count();
            removal[0] = new Removal(known, remaining);
            return next.isEmpty() ? null : next;
        });
        return Optional.ofNullable(removal[0]);
    }

    @Override
    public Optional<Connection> find(String connectionId) {
        return Optional.ofNullable(byId.get(connectionId));
    }

    @Override
    public List<Connection> connectionsOf(Collection<String> userIds, Channel channel) {
        List<Connection> result = new ArrayList<>();
        for (String userId : userIds) {
            for (Connection connection : byUser.getOrDefault(userId, List.of())) {
                if (connection.channel() == channel) {
                    result.add(connection);
                }
            }
        }
        return result;
    }
}
