package io.pagenow.protocol;

import io.pagenow.core.error.InvalidInputException;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * One authenticated call to a REST route: who calls, and the path and query parameters read as
 * the route needs them, failing with a message that names the parameter.
 */
record RestCall(String caller, Map<String, String> pathParameters, RestRequest request) {

    String path(String name) {
        return pathParameters.get(name);
    }

    UUID uuid(String name) {
        return Fields.uuid(name, path(name));
    }

    Optional<String> query(String name) {
        return Optional.ofNullable(request.query().get(name));
    }

    int intQuery(String name, int defaultValue) {
        Optional<String> value = query(name);
        if (value.isEmpty()) {
            return defaultValue;
        }
        String text = value.get().strip();
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            String problem = text.matches("[+-]?\\d+") ? "' is out of range, was " : "' must be an integer, was ";
            throw new InvalidInputException("'" + name + problem + Fields.quoted(text));
        }
    }
}
