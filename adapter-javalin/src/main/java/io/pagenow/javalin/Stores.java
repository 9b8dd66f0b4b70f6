package io.pagenow.javalin;

import io.pagenow.core.chat.port.out.ConversationStore;
import io.pagenow.core.delivery.port.out.ClientPush;
import io.pagenow.core.delivery.port.out.ConnectionRegistry;
import io.pagenow.core.memory.InMemoryConnectionRegistry;
import io.pagenow.core.memory.InMemoryConversationStore;
import io.pagenow.core.memory.InMemoryPresenceStore;
import io.pagenow.core.presence.port.in.Presence;
import io.pagenow.core.presence.port.out.PresenceStore;
import io.pagenow.core.social.port.out.SocialGraph;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
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
 * @param liveState  tells the server when the shared live state lost what this node registered
 */
public record Stores(ConversationStore conversations, SocialGraph socialGraph, PresenceStore presence,
                     ConnectionRegistry connections, UnaryOperator<ClientPush> pushRoute,
                     List<ReadinessCheck> readiness, List<Chore> chores, List<AutoCloseable> closeHooks,
                     LiveState liveState) {

    /** Stores whose live state is this process's own memory, never lost while it runs. */
    public Stores(ConversationStore conversations, SocialGraph socialGraph, PresenceStore presence,
                  ConnectionRegistry connections, UnaryOperator<ClientPush> pushRoute,
                  List<ReadinessCheck> readiness, List<Chore> chores, List<AutoCloseable> closeHooks) {
        this(conversations, socialGraph, presence, connections, pushRoute, readiness, chores, closeHooks,
                LiveState.NEVER_LOST);
    }

    public Stores {
        readiness = List.copyOf(readiness);
        chores = List.copyOf(chores);
        closeHooks = List.copyOf(closeHooks);
        Objects.requireNonNull(conversations, "conversations");
        Objects.requireNonNull(socialGraph, "socialGraph");
        Objects.requireNonNull(presence, "presence");
        Objects.requireNonNull(connections, "connections");
        Objects.requireNonNull(pushRoute, "pushRoute");
        Objects.requireNonNull(liveState, "liveState");
    }

    /** The embedded default: everything in this process's memory, pushes to this node's sockets only. */
    public static Stores inMemory(SocialGraph socialGraph) {
        return new Stores(new InMemoryConversationStore(), socialGraph, new InMemoryPresenceStore(),
                new InMemoryConnectionRegistry(), UnaryOperator.identity(),
                List.of(new ReadinessCheck("memory", () -> true)), List.of(), List.of());
    }

    /**
     * A shared live state (connections, presence) that can lose what this node registered: Redis
     * restarted empty, flushed, or this node presumed dead after a stall.
     *
     * @param onLost         takes the repair to run when that happened, given the reason; the
     *                       repair throws when it could not finish, and is then run again later
     * @param registeredHere the ids of the connections registered under this node
     */
    public record LiveState(Consumer<Consumer<String>> onLost, Supplier<Set<String>> registeredHere) {

        static final LiveState NEVER_LOST = new LiveState(repair -> { }, Set::of);

        public LiveState {
            Objects.requireNonNull(onLost, "onLost");
            Objects.requireNonNull(registeredHere, "registeredHere");
        }
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
