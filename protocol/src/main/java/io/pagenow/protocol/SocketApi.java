package io.pagenow.protocol;

import io.pagenow.core.chat.SendMessage;
import io.pagenow.core.chat.port.in.Chat;
import io.pagenow.core.delivery.Channel;
import io.pagenow.core.delivery.Connection;
import io.pagenow.core.error.InvalidInputException;
import io.pagenow.core.error.RateLimitedException;
import io.pagenow.core.presence.port.in.Presence;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The two WebSocket APIs of docs/protocol.md, independent of the transport: a socket's opening and
 * closing, and each client frame dispatched by its {@code action} to a use case. Whatever a frame
 * holds, the answer is at most one {@code error} event for the sending connection; results reach
 * clients as pushes from the use cases (the sender's own tabs included).
 */
public final class SocketApi {

    /** Frames larger than this close the socket with 1009 (message too big). */
    public static final int MAX_FRAME_BYTES = 64 * 1024;

    static final String INVALID = "invalid";
    private static final Set<String> CHAT_ACTIONS = Set.of("heartbeat", "send-message", "read-messages",
            "typing", "edit-message", "delete-message");
    private static final Set<String> PRESENCE_ACTIONS = Set.of("heartbeat", "update-presence");

    private final Chat chat;
    private final Presence presence;

    public SocketApi(Chat chat, Presence presence) {
        this.chat = chat;
        this.presence = presence;
    }

    /** The client actions a socket of this channel dispatches: what a gateway routes and the documents list. */
    public static Set<String> actions(Channel channel) {
        return channel == Channel.CHAT ? CHAT_ACTIONS : PRESENCE_ACTIONS;
    }

    /** A socket opened for an authenticated user: registers it (and makes the user online on presence). */
    public void open(Connection connection) {
        if (connection.channel() == Channel.CHAT) {
            chat.connect(connection);
        } else {
            presence.connect(connection);
        }
    }

    /** A socket closed: forgets it (the user's last presence socket takes the user offline). */
    public void close(Channel channel, String connectionId) {
        if (channel == Channel.CHAT) {
            chat.disconnect(connectionId);
        } else {
            presence.disconnect(connectionId);
        }
    }

    /**
     * Handles one text frame of a connection. Never throws: bad input and failures become an error
     * event for this connection, and nothing is stored.
     *
     * @param allowance the connection's flood control bucket (sharing its user's); a frame over the rate is refused with 429
     */
    public FrameOutcome handle(Connection connection, String frame, TokenBucket allowance) {
        // The token is taken before parsing, so junk frames count against the rate too.
        boolean admitted = allowance.tryTake();
        Set<String> known = actions(connection.channel());
        String sentAction = null;
        String tempMessageId = null;
        String action = INVALID;
        try {
            ClientFrame message;
            try {
                message = ClientFrame.parse(frame);
            } catch (InvalidInputException e) {
                throw admitted ? e : tooManyFrames();
            }
            sentAction = message.textOrNull("action");
            if (sentAction != null) {
                action = known.contains(sentAction) ? sentAction : INVALID;
            }
            tempMessageId = message.textOrNull("tempMessageId");
            if (!admitted) {
                throw tooManyFrames();
            }
            if (action.equals(INVALID)) {
                message.requiredString("action");
                throw new InvalidInputException("Unknown action '" + shortened(sentAction) + "' on the "
                        + connection.channel().name().toLowerCase(Locale.ROOT) + " socket");
            }
            dispatch(connection, action, message);
            return new FrameOutcome(action, 200, Optional.empty());
        } catch (RuntimeException e) {
            Failure failure = Failure.of(e);
            String reply = EventJson.error(sentAction == null ? null : shortened(sentAction), failure.status(),
                    failure.message(), tempMessageId);
            return new FrameOutcome(action, failure.status(), Optional.of(reply));
        }
    }

    /**
     * Answers a frame without doing it: an {@code error} event with the code {@code cause} maps
     * to, naming the frame's action and carrying its {@code tempMessageId} when it has them, so the
     * client can retry that send. For frames the transport will not run (one that waited too long
     * behind a store that is out).
     */
    public FrameOutcome refuse(Connection connection, String frame, RuntimeException cause) {
        Set<String> known = actions(connection.channel());
        String sentAction = null;
        String tempMessageId = null;
        try {
            ClientFrame message = ClientFrame.parse(frame);
            sentAction = message.textOrNull("action");
            tempMessageId = message.textOrNull("tempMessageId");
        } catch (InvalidInputException e) {
            // Refused all the same; there is nothing of it to name.
        }
        String action = sentAction != null && known.contains(sentAction) ? sentAction : INVALID;
        Failure failure = Failure.of(cause);
        return new FrameOutcome(action, failure.status(), Optional.of(EventJson.error(
                sentAction == null ? null : shortened(sentAction), failure.status(), failure.message(), tempMessageId)));
    }

    private static RateLimitedException tooManyFrames() {
        return new RateLimitedException("Too many frames from this user: slow down and retry");
    }

    private void dispatch(Connection connection, String action, ClientFrame message) {
        String userId = connection.userId();
        switch (action) {
            case "heartbeat" -> {
                // On chat a heartbeat only keeps the socket from its idle timeout.
                if (connection.channel() == Channel.PRESENCE) {
                    presence.heartbeat(userId);
                }
            }
            case "send-message" -> chat.send(userId, new SendMessage(
                    message.requiredString("tempMessageId"),
                    message.requiredUuid("conversationId"),
                    message.requiredString("content")));
            case "read-messages" -> chat.read(userId, message.requiredUuid("conversationId"));
            case "typing" -> chat.typing(userId, message.requiredUuid("conversationId"));
            case "edit-message" -> chat.edit(userId, message.requiredUuid("messageId"),
                    message.requiredString("content"));
            case "delete-message" -> chat.delete(userId, message.requiredUuid("messageId"));
            case "update-presence" -> presence.updatePresence(userId,
                    message.requiredString("url"),
                    message.requiredString("title"));
            default -> throw new IllegalStateException("no dispatch for known action " + action);
        }
    }

    /** An action name echoed back, cut short: a client could send a 60 KiB one. */
    private static String shortened(String value) {
        return value.length() > 64 ? value.substring(0, 64) + "..." : value;
    }
}
