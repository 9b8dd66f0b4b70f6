package io.pagenow.javalin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pagenow.core.memory.InMemorySocialGraph;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a social graph from a JSON file:
 * {@code {"users":[{"user_id","first_name","last_name"}...],"friendships":[["a","b"]...]}}.
 * A malformed file fails the start with a message naming what is wrong.
 */
final class SeedFile {

    private SeedFile() {
    }

    static InMemorySocialGraph load(Path path) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(Files.readString(path));
        } catch (IOException e) {
            throw new IllegalArgumentException("SEED_FILE " + path + " cannot be read as JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.path("users").isArray()) {
            throw new IllegalArgumentException("SEED_FILE " + path + ": expected {\"users\": [...], \"friendships\": [...]}");
        }
        InMemorySocialGraph.Builder graph = InMemorySocialGraph.builder();
        int index = 0;
        for (JsonNode user : root.get("users")) {
            String id = text(path, user, "user_id", index);
            graph.user(id, text(path, user, "first_name", index), text(path, user, "last_name", index));
            index++;
        }
        JsonNode friendships = root.path("friendships");
        if (!friendships.isMissingNode() && !friendships.isArray()) {
            throw new IllegalArgumentException("SEED_FILE " + path + ": 'friendships' must be an array of pairs");
        }
        for (JsonNode pair : friendships) {
            if (!pair.isArray() || pair.size() != 2 || !pair.get(0).isTextual() || !pair.get(1).isTextual()) {
                throw new IllegalArgumentException("SEED_FILE " + path + ": each friendship must be [\"a\", \"b\"], was "
                        + pair);
            }
            try {
                graph.friends(pair.get(0).textValue(), pair.get(1).textValue());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("SEED_FILE " + path + ": " + e.getMessage(), e);
            }
        }
        return graph.build();
    }

    private static String text(Path path, JsonNode user, String field, int index) {
        JsonNode value = user.get(field);
        if (value == null || !value.isTextual() || value.textValue().isBlank()) {
            throw new IllegalArgumentException("SEED_FILE " + path + ": users[" + index + "] needs a string '" + field
                    + "'");
        }
        return value.textValue();
    }
}
