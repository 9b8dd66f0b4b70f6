package io.pagenow.javalin;

import io.pagenow.core.delivery.Connection;
import io.pagenow.core.delivery.port.out.ConnectionRegistry;
import io.pagenow.protocol.SocketApi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;
import java.util.function.Supplier;

/**
 * Makes the shared live state match the sockets this node holds, after it was lost (the node was
 * presumed dead, or Redis restarted empty or was flushed) or may be stale (Redis was unreachable,
 * so some registrations failed): every socket held is registered again, a presence socket also
 * bringing its user back online for friends, and every connection registered under this node that
 * it no longer holds is closed the way its own close would have, taking its user offline when it
 * was the last. Who is online then comes from the sockets the nodes actually hold.
 */
final class SocketRepair {

    private static final Logger LOG = LoggerFactory.getLogger(SocketRepair.class);

    private final NodeSockets node;
    private final ConnectionRegistry registry;
    private final Supplier<Set<String>> registeredHere;

    /** @param registeredHere the ids of the connections the live state holds under this node */
    SocketRepair(NodeSockets node, ConnectionRegistry registry, Supplier<Set<String>> registeredHere) {
        this.node = node;
        this.registry = registry;
        this.registeredHere = registeredHere;
    }

    /** Throws when a store call fails; the caller runs it again later (registering is idempotent). */
    void repair(String reason) {
        LocalSockets sockets = node.sockets();
        SocketApi api = node.api();
        int registered = 0;
        for (LocalSockets.Socket socket : sockets.held()) {
            Connection connection = socket.connection();
            api.open(connection);
            if (!sockets.holds(connection.id())) {
                // Closed while it was registered again: its close handler may have run before.
                api.close(connection.channel(), connection.id());
            } else {
                registered++;
            }
        }
        int forgotten = 0;
        for (String id : registeredHere.get()) {
            if (!sockets.holds(id)) {
                var stale = registry.find(id);
                if (stale.isPresent()) {
                    api.close(stale.get().channel(), id);
                    forgotten++;
                }
            }
        }
        node.metrics().liveStateRepaired(reason, registered);
        LOG.atWarn().addKeyValue("reason", reason).addKeyValue("sockets", registered)
                .addKeyValue("forgotten", forgotten).log("live state repaired: sockets registered again");
    }
}
