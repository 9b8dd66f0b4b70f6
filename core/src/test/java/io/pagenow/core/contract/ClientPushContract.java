package io.pagenow.core.contract;

import io.pagenow.core.delivery.Channel;
import io.pagenow.core.delivery.Connection;
import io.pagenow.core.delivery.Event;
import io.pagenow.core.delivery.port.out.ClientPush;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The promises of every {@link ClientPush}: each existing target receives the event, targets that
 * no longer exist are dropped (reported gone, or forgotten by the node that held them), and one
 * target that fails neither throws nor keeps the others from receiving. An implementation's test says how to open, close and break a target of its own
 * kind (a socket, a connection on another node, an API Gateway connection, an inbox) and how to see
 * what a target received.
 */
public abstract class ClientPushContract {

    /** How long a delivery may take to arrive: a bound on a wait, never an assertion on time. */
    protected static final Duration WAIT = Duration.ofSeconds(10);

    private static final Event.NewMessage MESSAGE = new Event.NewMessage(
            UUID.fromString("00000000-0000-0000-0000-000000000001"), "temp-1",
            UUID.fromString("00000000-0000-0000-0000-000000000002"), "alice", "hello",
            Instant.parse("2026-01-01T00:00:00Z"));
    private static final Event.PresenceTimeout TIMEOUT = new Event.PresenceTimeout("alice");

    /** The push under test, delivering to the targets {@link #open} creates. */
    protected abstract ClientPush push();

    /** A target of {@code userId} on {@code channel} that exists and receives what is pushed to it. */
    protected abstract Connection open(String userId, Channel channel) throws Exception;

    /** Makes {@code target} stop existing (the socket closed, the connection left), as a client leaving does. */
    protected abstract void close(Connection target) throws Exception;

    /**
     * A target whose delivery fails (a broken socket, an error from the far end). Where the
     * implementation has no such failure, a target that is gone.
     */
    protected Connection failing(String userId, Channel channel) throws Exception {
        Connection target = open(userId, channel);
        close(target);
        return target;
    }

    /**
     * Whether {@code target}, which stopped existing before a push, was dropped by it: reported
     * gone, so that the caller forgets it. A push that relays to other nodes may instead leave a
     * target closed on a live node to that node, which forgets it itself; its test says how to see that.
     */
    protected boolean forgotten(Connection target, Set<String> reportedGone) throws Exception {
        return reportedGone.contains(target.id());
    }

    /** Whether {@code target} received {@code event}, waiting at most {@code within} for it. */
    protected abstract boolean received(Connection target, Event event, Duration within) throws Exception;

    @Test
    void everyExistingTargetReceivesTheEvent() throws Exception {
        Connection aliceTab1 = open("alice", Channel.CHAT);
        Connection aliceTab2 = open("alice", Channel.CHAT);
        Connection bob = open("bob", Channel.CHAT);

        Set<String> gone = push().push(List.of(aliceTab1, aliceTab2, bob), MESSAGE);

        assertEquals(Set.of(), gone);
        for (Connection target : List.of(aliceTab1, aliceTab2, bob)) {
            assertTrue(received(target, MESSAGE, WAIT), target.id() + " should have received the message");
        }
    }

    @Test
    void goneTargetsAreDroppedAndTheOthersStillReceive() throws Exception {
        Connection bob = open("bob", Channel.PRESENCE);
        Connection carol = open("carol", Channel.PRESENCE);
        close(carol);

        Set<String> gone = push().push(List.of(carol, bob), TIMEOUT);

        assertFalse(gone.contains(bob.id()), "bob is still there");
        assertTrue(forgotten(carol, gone), "carol is gone: reported, or forgotten by the node that held her");
        assertTrue(received(bob, TIMEOUT, WAIT), "bob should have received the timeout");
    }

    @Test
    void oneFailingTargetNeitherThrowsNorKeepsTheOthersFromReceiving() throws Exception {
        Connection broken = failing("dave", Channel.CHAT);
        Connection bob = open("bob", Channel.CHAT);
        Connection carol = open("carol", Channel.CHAT);

        Set<String> gone = assertDoesNotThrow(() -> push().push(List.of(broken, bob, carol), MESSAGE));

        assertFalse(gone.contains(bob.id()), "bob is still there");
        assertFalse(gone.contains(carol.id()), "carol is still there");
        assertTrue(received(bob, MESSAGE, WAIT), "bob should have received the message");
        assertTrue(received(carol, MESSAGE, WAIT), "carol should have received the message");
    }
}
