package io.pagenow.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import io.pagenow.core.error.InvalidInputException;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/** Reads request fields, failing with a message that names the field. Range checks stay in the core. */
final class Fields {

    /** The canonical form only: {@link UUID#fromString} also accepts forms like {@code 1-2-3-4-5}. */
    private static final Pattern UUID_FORM =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private Fields() {
    }

    static String requiredString(JsonNode object, String field) {
        return optionalString(object, field).orElseThrow(() -> InvalidInputException.missing(field));
    }

    static Optional<String> optionalString(JsonNode object, String field) {
        JsonNode value = object.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw notAString(field);
        }
        return Optional.of(value.textValue());
    }

    static InvalidInputException notAString(String field) {
        return new InvalidInputException("'" + field + "' must be a string");
    }

    static boolean requiredBoolean(JsonNode object, String field) {
        JsonNode value = object.get(field);
        if (value == null || value.isNull()) {
            throw InvalidInputException.missing(field);
        }
        if (!value.isBoolean()) {
            throw new InvalidInputException("'" + field + "' must be true or false");
        }
        return value.booleanValue();
    }

    static List<String> requiredStringArray(JsonNode object, String field) {
        JsonNode value = object.get(field);
        if (value == null || value.isNull()) {
            throw InvalidInputException.missing(field);
        }
        if (!value.isArray()) {
            throw new InvalidInputException("'" + field + "' must be an array of user ids");
        }
        List<String> items = new ArrayList<>(value.size());
        for (JsonNode item : value) {
            if (!item.isTextual()) {
                throw new InvalidInputException("'" + field + "' must contain only strings");
            }
            items.add(item.textValue());
        }
        return items;
    }

    static UUID requiredUuid(JsonNode object, String field) {
        return uuid(field, requiredString(object, field));
    }

    /** Echoes a client's value in an error message, cut short: it is the client's own input. */
    static String quoted(String value) {
        return "'" + (value.length() > 40 ? value.substring(0, 40) + "..." : value) + "'";
    }

    static UUID uuid(String field, String text) {
        if (!UUID_FORM.matcher(text).matches()) {
            throw new InvalidInputException("'" + field + "' must be a UUID");
        }
        return UUID.fromString(text);
    }
}
