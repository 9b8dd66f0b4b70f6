package io.pagenow.redis;

import io.pagenow.core.delivery.Connection;
import io.pagenow.core.delivery.Event;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The text a node publishes for another: format version, the targets on the receiving node
 * (connection id and user id), then the event. Every field is {@code <length>:<text>}, or
 * {@code ~} for null, so no content ever needs escaping. The event part is encoded once per
 * push and shared by the messages to every node.
 */
final class RelayCodec {

    private static final char VERSION = '1';
    private static final char NEW_MESSAGE = 'N';
    private static final char MESSAGES_READ = 'R';
    private static final char PRESENCE_UPDATE = 'P';
    private static final char PRESENCE_TIMEOUT = 'T';
    private static final char TYPING = 'Y';
    private static final char MESSAGE_EDITED = 'E';
    private static final char MESSAGE_DELETED = 'D';

    /** A decoded message: the receiving node's targets and what to push to them. */
    record Relayed(List<Connection> targets, Event event) {
    }

    private RelayCodec() {
    }

    static String encodeEvent(Event event) {
        StringBuilder out = new StringBuilder(128);
        if (event instanceof Event.NewMessage m) {
            out.append(NEW_MESSAGE);
            field(out, text(m.messageId()));
            field(out, m.tempMessageId());
            field(out, text(m.conversationId()));
            field(out, m.senderId());
            field(out, m.content());
            field(out, m.sentAt() == null ? null : m.sentAt().toString());
        } else if (event instanceof Event.MessagesRead r) {
            out.append(MESSAGES_READ);
            field(out, text(r.conversationId()));
            field(out, r.userId());
        } else if (event instanceof Event.Typing t) {
            out.append(TYPING);
            field(out, text(t.conversationId()));
            field(out, t.userId());
        } else if (event instanceof Event.MessageEdited e) {
            out.append(MESSAGE_EDITED);
            field(out, text(e.messageId()));
            field(out, text(e.conversationId()));
            field(out, e.content());
            field(out, text(e.editedAt()));
        } else if (event instanceof Event.MessageDeleted d) {
            out.append(MESSAGE_DELETED);
            field(out, text(d.messageId()));
            field(out, text(d.conversationId()));
            field(out, text(d.deletedAt()));
        } else if (event instanceof Event.PresenceUpdate p) {
            out.append(PRESENCE_UPDATE);
            field(out, p.userId());
            field(out, p.url());
            field(out, p.title());
            field(out, p.domain());
            field(out, p.latestUrl());
            field(out, p.latestTitle());
            field(out, p.latestDomain());
        } else if (event instanceof Event.PresenceTimeout t) {
            out.append(PRESENCE_TIMEOUT);
            field(out, t.userId());
        } else {
            throw new IllegalArgumentException("no relay encoding for " + event.getClass().getName());
        }
        return out.toString();
    }

    /** A message for one node: its targets, then an event from {@link #encodeEvent}. */
    static String encode(List<Connection> targets, String encodedEvent) {
        StringBuilder out = new StringBuilder(encodedEvent.length() + 48 * targets.size() + 8);
        out.append(VERSION);
        field(out, Integer.toString(targets.size()));
        for (Connection target : targets) {
            field(out, target.id());
            field(out, target.userId());
        }
        return out.append(encodedEvent).toString();
    }

    /**
     * Reads a message published for {@code nodeId}.
     *
     * @throws IllegalArgumentException when the text is not a message of this format
     */
    static Relayed decode(String message, String nodeId) {
        try {
            Reader in = new Reader(message);
            if (in.next() != VERSION) {
                throw new IllegalArgumentException("unknown relay message version");
            }
            int count = Integer.parseInt(in.field());
            if (count < 0) {
                throw new IllegalArgumentException("negative target count");
            }
            List<String[]> targets = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                targets.add(new String[] {in.field(), in.field()});
            }
            Event event = switch (in.next()) {
                case NEW_MESSAGE -> new Event.NewMessage(uuid(in.field()), in.field(), uuid(in.field()), in.field(),
                        in.field(), instant(in.field()));
                case MESSAGES_READ -> new Event.MessagesRead(uuid(in.field()), in.field());
                case PRESENCE_UPDATE -> new Event.PresenceUpdate(in.field(), in.field(), in.field(), in.field(),
                        in.field(), in.field(), in.field());
                case PRESENCE_TIMEOUT -> new Event.PresenceTimeout(in.field());
                case TYPING -> new Event.Typing(uuid(in.field()), in.field());
                case MESSAGE_EDITED -> new Event.MessageEdited(uuid(in.field()), uuid(in.field()), in.field(),
                        instant(in.field()));
                case MESSAGE_DELETED -> new Event.MessageDeleted(uuid(in.field()), uuid(in.field()),
                        instant(in.field()));
                default -> throw new IllegalArgumentException("unknown relay event type");
            };
            in.end();
            List<Connection> connections = new ArrayList<>(count);
            for (String[] target : targets) {
                connections.add(new Connection(target[0], target[1], event.channel(), nodeId));
            }
            return new Relayed(connections, event);
        } catch (IndexOutOfBoundsException | NullPointerException | java.time.DateTimeException e) {
            // Never put the message in the exception: it may hold message contents.
            throw new IllegalArgumentException("malformed relay message", e);
        }
    }

    private static void field(StringBuilder out, String value) {
        if (value == null) {
            out.append('~');
        } else {
            out.append(value.length()).append(':').append(value);
        }
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }

    private static UUID uuid(String value) {
        return value == null ? null : UUID.fromString(value);
    }

    private static Instant instant(String value) {
        return value == null ? null : Instant.parse(value);
    }

    /** Walks a message field by field. */
    private static final class Reader {
        private final String text;
        private int at;

        Reader(String text) {
            this.text = text;
        }

        char next() {
            return text.charAt(at++);
        }

        String field() {
            if (text.charAt(at) == '~') {
                at++;
                return null;
            }
            int colon = text.indexOf(':', at);
            if (colon < 0 || colon - at > 9) {
                throw new IllegalArgumentException("malformed relay field");
            }
            int length = Integer.parseInt(text, at, colon, 10);
            int start = colon + 1;
            if (length < 0 || start + length > text.length()) {
                throw new IllegalArgumentException("relay field runs past the end");
            }
            at = start + length;
            return text.substring(start, at);
        }

        void end() {
            if (at != text.length()) {
                throw new IllegalArgumentException("trailing text after the relay event");
            }
        }
    }
}
