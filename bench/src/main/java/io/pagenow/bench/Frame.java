package io.pagenow.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;

/**
 * The fields of a server event the load generator looks at; the rest is skipped. A streaming
 * parse, because the socket threads parse tens of thousands of these a second beside the server.
 */
record Frame(String type, String tempMessageId, String conversationId, String messageId, String senderId,
             String userId, String url, String title, int code, String action, String message) {

    private static final JsonFactory JSON = new JsonFactory();

    static Frame parse(String text) {
        try (JsonParser p = JSON.createParser(text)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("event is not a JSON object");
            }
            String type = null;
            String tempMessageId = null;
            String conversationId = null;
            String messageId = null;
            String senderId = null;
            String userId = null;
            String url = null;
            String title = null;
            int code = 0;
            String action = null;
            String message = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
                    p.skipChildren();
                    continue;
                }
                switch (name) {
                    case "type" -> type = p.getValueAsString();
                    case "tempMessageId" -> tempMessageId = p.getValueAsString();
                    case "conversationId" -> conversationId = p.getValueAsString();
                    case "messageId" -> messageId = p.getValueAsString();
                    case "senderId" -> senderId = p.getValueAsString();
                    case "userId" -> userId = p.getValueAsString();
                    case "url" -> url = p.getValueAsString();
                    case "title" -> title = p.getValueAsString();
                    case "code" -> code = p.getValueAsInt();
                    case "action" -> action = p.getValueAsString();
                    case "message" -> message = p.getValueAsString();
                    default -> {
                        // a field this benchmark does not check
                    }
                }
            }
            return new Frame(type, tempMessageId, conversationId, messageId, senderId, userId, url, title, code,
                    action, message);
        } catch (IOException e) {
            throw new IllegalArgumentException("event is not valid JSON", e);
        }
    }
}
