package io.pagenow.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import io.pagenow.core.chat.Conversation;
import io.pagenow.core.chat.ConversationSummary;
import io.pagenow.core.chat.Message;
import io.pagenow.core.presence.Page;
import io.pagenow.core.presence.PresenceOverview;
import io.pagenow.core.presence.UserPresence;
import io.pagenow.core.social.UserInfo;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** The response shapes of docs/protocol.md, with their exact field names. */
final class WireFormat {

    private WireFormat() {
    }

    static String summaries(String callerId, List<ConversationSummary> summaries) {
        return Json.write(out -> {
            out.writeStartArray();
            for (ConversationSummary summary : summaries) {
                summary(out, callerId, summary);
            }
            out.writeEndArray();
        });
    }

    static String conversation(String callerId, Conversation conversation) {
        return Json.write(out -> {
            out.writeStartObject();
            conversationHead(out, callerId, conversation);
            out.writeStringField("createdBy", conversation.createdBy());
            Json.timestampField(out, "createdAt", conversation.createdAt());
            out.writeEndObject();
        });
    }

    static String messages(List<Message> messages) {
        return Json.write(out -> {
            out.writeStartArray();
            for (Message message : messages) {
                out.writeStartObject();
                out.writeStringField("messageId", message.id().toString());
                out.writeStringField("conversationId", message.conversationId().toString());
                Json.timestampField(out, "sentAt", message.sentAt());
                out.writeStringField("senderId", message.senderId());
                out.writeStringField("content", message.content());
                nullableTimestampField(out, "editedAt", message.editedAt());
                nullableTimestampField(out, "deletedAt", message.deletedAt());
                out.writeEndObject();
            }
            out.writeEndArray();
        });
    }

    static String userIds(List<String> userIds) {
        return Json.write(out -> {
            out.writeStartArray();
            for (String userId : userIds) {
                out.writeString(userId);
            }
            out.writeEndArray();
        });
    }

    /** {@code {"conversationId": "..."}}, or JSON {@code null}. */
    static String conversationId(Optional<UUID> conversationId) {
        return Json.write(out -> {
            if (conversationId.isEmpty()) {
                out.writeNull();
                return;
            }
            out.writeStartObject();
            out.writeStringField("conversationId", conversationId.get().toString());
            out.writeEndObject();
        });
    }

    static String overview(PresenceOverview overview) {
        return Json.write(out -> {
            out.writeStartObject();
            out.writeFieldName("userPresence");
            presence(out, overview.self());
            out.writeArrayFieldStart("presenceArr");
            for (UserPresence friend : overview.friends()) {
                presence(out, friend);
            }
            out.writeEndArray();
            out.writeObjectFieldStart("userInfoMap");
            for (Map.Entry<String, UserInfo> entry : overview.users().entrySet()) {
                out.writeFieldName(entry.getKey());
                userInfo(out, entry.getValue());
            }
            out.writeEndObject();
            out.writeEndObject();
        });
    }

    /** {@code {"url", "title"}} of the current page, or JSON {@code null} when offline. */
    static String currentPage(Optional<Page> page) {
        return Json.write(out -> {
            if (page.isEmpty()) {
                out.writeNull();
                return;
            }
            out.writeStartObject();
            out.writeStringField("url", page.get().url());
            out.writeStringField("title", page.get().title());
            out.writeEndObject();
        });
    }

    static String error(String message) {
        return Json.write(out -> {
            out.writeStartObject();
            out.writeStringField("error", message);
            out.writeEndObject();
        });
    }

    private static void summary(JsonGenerator out, String callerId, ConversationSummary summary) throws IOException {
        Message latest = summary.latest();
        out.writeStartObject();
        conversationHead(out, callerId, summary.conversation());
        Json.timestampField(out, "sentAt", latest.sentAt());
        out.writeStringField("latestContent", latest.content());
        out.writeStringField("senderId", latest.senderId());
        out.writeBooleanField("isRead", summary.read());
        out.writeNumberField("unreadCount", summary.unreadCount());
        out.writeEndObject();
    }

    /** The fields a conversation and a conversation summary share. */
    private static void conversationHead(JsonGenerator out, String callerId, Conversation conversation)
            throws IOException {
        out.writeStringField("conversationId", conversation.id().toString());
        out.writeStringField("title", conversation.title());
        out.writeBooleanField("isGroup", conversation.group());
        Optional<String> other = conversation.anyOtherThan(callerId);
        if (other.isPresent()) {
            out.writeStringField("participantId", other.get());
        } else {
            out.writeNullField("participantId");
        }
        out.writeArrayFieldStart("participantIds");
        for (String participant : conversation.othersThan(callerId)) {
            out.writeString(participant);
        }
        out.writeEndArray();
    }

    private static void nullableTimestampField(JsonGenerator out, String field, Instant value)
            throws IOException {
        if (value == null) {
            out.writeNullField(field);
        } else {
            Json.timestampField(out, field, value);
        }
    }

    private static void presence(JsonGenerator out, UserPresence presence) throws IOException {
        out.writeStartObject();
        out.writeStringField("userId", presence.userId());
        page(out, "page", presence.page());
        page(out, "latestPage", presence.latestPage());
        out.writeBooleanField("online", presence.online());
        Json.timestampField(out, "lastSeenAt", presence.lastSeenAt());
        out.writeEndObject();
    }

    private static void page(JsonGenerator out, String field, Page page) throws IOException {
        if (page == null) {
            out.writeNullField(field);
            return;
        }
        out.writeObjectFieldStart(field);
        out.writeStringField("url", page.url());
        out.writeStringField("title", page.title());
        out.writeStringField("domain", page.domain());
        out.writeEndObject();
    }

    private static void userInfo(JsonGenerator out, UserInfo info) throws IOException {
        out.writeStartObject();
        out.writeStringField("user_id", info.userId());
        out.writeStringField("first_name", info.firstName());
        out.writeStringField("last_name", info.lastName());
        out.writeStringField("profile_image_extension", info.profileImageExtension());
        out.writeEndObject();
    }
}
