package io.pagenow.protocol;

import io.pagenow.core.delivery.Event;

/**
 * The server-to-client frames of both sockets. A push implementation encodes each event once and
 * sends the same text to every target.
 */
public final class EventJson {

    private EventJson() {
    }

    /** The frame of docs/protocol.md for this event, with its {@code type}. */
    public static String encode(Event event) {
        return Json.write(out -> {
            out.writeStartObject();
            out.writeStringField("type", type(event));
            if (event instanceof Event.NewMessage m) {
                out.writeStringField("messageId", m.messageId().toString());
                out.writeStringField("tempMessageId", m.tempMessageId());
                out.writeStringField("conversationId", m.conversationId().toString());
                out.writeStringField("senderId", m.senderId());
                out.writeStringField("content", m.content());
                Json.timestampField(out, "sentAt", m.sentAt());
            } else if (event instanceof Event.MessagesRead r) {
                out.writeStringField("conversationId", r.conversationId().toString());
                out.writeStringField("userId", r.userId());
            } else if (event instanceof Event.Typing t) {
                out.writeStringField("conversationId", t.conversationId().toString());
                out.writeStringField("userId", t.userId());
            } else if (event instanceof Event.MessageEdited e) {
                out.writeStringField("messageId", e.messageId().toString());
                out.writeStringField("conversationId", e.conversationId().toString());
                out.writeStringField("content", e.content());
                Json.timestampField(out, "editedAt", e.editedAt());
            } else if (event instanceof Event.MessageDeleted d) {
                out.writeStringField("messageId", d.messageId().toString());
                out.writeStringField("conversationId", d.conversationId().toString());
                Json.timestampField(out, "deletedAt", d.deletedAt());
            } else if (event instanceof Event.PresenceUpdate p) {
                out.writeStringField("userId", p.userId());
                out.writeStringField("url", p.url());
                out.writeStringField("title", p.title());
                out.writeStringField("domain", p.domain());
                out.writeStringField("latestUrl", p.latestUrl());
                out.writeStringField("latestTitle", p.latestTitle());
                out.writeStringField("latestDomain", p.latestDomain());
            } else if (event instanceof Event.PresenceTimeout t) {
                out.writeStringField("userId", t.userId());
            }
            out.writeEndObject();
        });
    }

    /** The {@code type} of the event's frame, also a good metric label. */
    public static String type(Event event) {
        if (event instanceof Event.NewMessage) {
            return "new-message";
        }
        if (event instanceof Event.MessagesRead) {
            return "read-messages";
        }
        if (event instanceof Event.Typing) {
            return "typing";
        }
        if (event instanceof Event.MessageEdited) {
            return "message-edited";
        }
        if (event instanceof Event.MessageDeleted) {
            return "message-deleted";
        }
        if (event instanceof Event.PresenceUpdate) {
            return "update-presence";
        }
        if (event instanceof Event.PresenceTimeout) {
            return "presence-timeout";
        }
        throw new IllegalArgumentException("unknown event " + event.getClass().getName());
    }

    /**
     * The {@code error} frame, answered to the sending connection only.
     *
     * @param action        the frame's action as sent, or null when it had none
     * @param tempMessageId the failed action's temporary message id, or null
     */
    public static String error(String action, int code, String message, String tempMessageId) {
        return Json.write(out -> {
            out.writeStartObject();
            out.writeStringField("type", "error");
            if (action != null) {
                out.writeStringField("action", action);
            }
            out.writeNumberField("code", code);
            out.writeStringField("message", message);
            if (tempMessageId != null) {
                out.writeStringField("tempMessageId", tempMessageId);
            }
            out.writeEndObject();
        });
    }
}
