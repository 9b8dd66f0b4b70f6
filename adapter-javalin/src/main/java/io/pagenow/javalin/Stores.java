package io.pagenow.javalin;

import io.pagenow.core.chat.port.ConversationStore;
import io.pagenow.core.delivery.ClientPush;
import io.pagenow.core.delivery.ConnectionRegistry;
import io.pagenow.core.memory.InMemoryConnectionRegistry;
import io.pagenow.core.memory.InMemoryConversationStore;
import io.pagenow.core.memory.InMemoryPresenceStore;
import io.pagenow.core.presence.port.Presence;
import io.pagenow.core.presence.port.PresenceStore;
import io.pagenow.core.social.SocialGraph;

import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.ToIntFunction;
import java.util.function.UnaryOperator;

/**
 * The one seam where the composition root picks the store technologies. The server is built from
 * this record and never names an implementation, so PostgreSQL and Redis plug in here alone.
 *
 * @param pushRoute  wraps the push to this node's own sockets; a multi-node relay forwards pushes
 *                   for connections held by other nodes and hands the rest to the wrapped push
 * @param readiness  what {@code /ready} probes
 * @param chores     run on the presence sweep's schedule, after the sweep (e.g. removing the
 *                   connections of dead nodes)
 * @param closeHooks run in order when the server stops, after the sockets are closed
 */
public record Stores(ConversationStore conversations, SocialGraph socialGraph, PresenceStore presence,
                     ConnectionRegistry connections, UnaryOperator<ClientPush> pushRoute,
                     List<ReadinessCheck> readiness, List<Chore> chores, List<AutoCloseable> closeHooks) {

    public Stores {
        Objects.requireNonNull(conversations, "conversations");
        Objects.requireNonNull(socialGraph, "socialGraph");
        Objects.requireNonNull(presence, "presence");
        Objects.requireNonNull(connections, "connections");
        Objects.requireNonNull(pushRoute, "pushRoute");
        readiness = List.copyOf(readiness);
        chores = List.copyOf(chores);
        closeHooks = List.copyOf(closeHooks);
    }

    /** The embedded default: everything in this process's memory, pushes to this node's sockets only. */
    public static Stores inMemory(SocialGraph socialGraph) {
        return new Stores(new InMemoryConversationStore(), socialGraph, new InMemoryPresenceStore(),
                new InMemoryConnectionRegistry(), UnaryOperator.identity(),
                List.of(new ReadinessCheck("memory", () -> true)), List.of(), List.of());
    }

    /**
     * One thing {@code /ready} reports.
     *
     * @param probe true when the store answers; may throw, which counts as down
     */
    public record ReadinessCheck(String name, BooleanSupplier probe) {
        public ReadinessCheck {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(probe, "probe");
        }
    }

    /**
     * Periodic upkeep of a store, given this node's presence use cases so that whatever it takes
     * offline reaches friends like a closed socket does.
     *
     * @param name logged when it fails
     * @param work returns how many things it cleaned up
     */
    public record Chore(String name, ToIntFunction<Presence> work) {
        public Chore {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(work, "work");
        }
    }
}
