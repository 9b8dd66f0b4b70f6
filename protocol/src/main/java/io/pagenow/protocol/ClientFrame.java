package io.pagenow.protocol;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.pagenow.core.error.InvalidInputException;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * One WebSocket frame from a client, read with Jackson's streaming parser: the fields an action
 * reads are kept, everything else is read past without building a tree of it. It accepts and
 * refuses exactly what {@link Json#parseObject} does: the parser has the same settings (strict
 * duplicate names, the same limits), the whole frame is read before any field is looked at, and a
 * frame the parser refuses is handed to {@link Json#parseObject}, so its error names the problem
 * in the same words. A refused frame is rare and costs a second parse; an accepted one, one.
 */
final class ClientFrame {

    /** The fields some action reads: every other field is skipped, whatever it holds. */
    private static final Set<String> READ = Set.of("action", "tempMessageId", "conversationId", "content",
            "messageId", "url", "title");
    /** A field present with a value other than a string or null. */
    private static final Object NOT_A_STRING = new Object();

    /** By name, the field's text or {@link #NOT_A_STRING}; a field absent or null is not here. */
    private final Map<String, Object> fields;

    private ClientFrame(Map<String, Object> fields) {
        this.fields = fields;
    }

    /** @throws InvalidInputException naming what is wrong with the frame, as {@link Json#parseObject} does */
    static ClientFrame parse(String frame) {
        if (frame == null || frame.isBlank()) {
            return refused(frame);
        }
        try (JsonParser parser = Json.parser(frame)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return refused(frame);
            }
            Map<String, Object> fields = new HashMap<>(8);
            // The parser throws on anything but a name or the object's end here.
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (READ.contains(name)) {
                    if (value == JsonToken.VALUE_STRING) {
                        fields.put(name, parser.getText());
                    } else if (value != JsonToken.VALUE_NULL) {
                        fields.put(name, NOT_A_STRING);
                    }
                }
                // Reads through nested values token by token: their syntax, names and depth are checked.
                parser.skipChildren();
            }
            if (parser.nextToken() != null) {
                return refused(frame);
            }
            return new ClientFrame(fields);
        } catch (IOException e) {
            return refused(frame);
        }
    }

    private static ClientFrame refused(String frame) {
        Json.parseObject(frame, "frame");
        throw new IllegalStateException("the tree parser accepted a frame the streaming parser refused");
    }

    /** The field's text; a missing, null or non-string value fails naming the field. */
    String requiredString(String field) {
        Object value = fields.get(field);
        if (value == null) {
            throw InvalidInputException.missing(field);
        }
        if (value == NOT_A_STRING) {
            throw Fields.notAString(field);
        }
        return (String) value;
    }

    UUID requiredUuid(String field) {
        return Fields.uuid(field, requiredString(field));
    }

    /** The field's text, or null when it is missing, null or not a string. */
    String textOrNull(String field) {
        return fields.get(field) instanceof String text ? text : null;
    }
}
