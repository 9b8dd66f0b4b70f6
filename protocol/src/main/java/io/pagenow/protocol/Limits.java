package io.pagenow.protocol;

import io.pagenow.core.chat.ChatCore;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The abuse limits, read from the environment in one place so either composition root (the
 * server's, the Lambda's) plugs them in alike. Every variable is optional; a malformed or
 * out-of-range value fails the start with a message naming it.
 *
 * @param maxGroupParticipants {@code GROUP_MAX_PARTICIPANTS}: the most participants of a group, its creator included
 * @param allowUnknownUsers    {@code ALLOW_UNKNOWN_USERS}: with a user directory (PostgreSQL), whether users it does
 *                             not know may chat and be participants; false by default
 */
public record Limits(int maxGroupParticipants, boolean allowUnknownUsers) {

    public static final Limits DEFAULT = new Limits(ChatCore.DEFAULT_MAX_GROUP_PARTICIPANTS, false);

    public Limits {
        if (maxGroupParticipants < 3 || maxGroupParticipants > 10_000) {
            throw new IllegalArgumentException("GROUP_MAX_PARTICIPANTS must be 3..10000, was " + maxGroupParticipants);
        }
    }

    public static Limits fromEnvironment(Map<String, String> env) {
        return new Limits(
                integer(env, "GROUP_MAX_PARTICIPANTS", DEFAULT.maxGroupParticipants()),
                bool(env, "ALLOW_UNKNOWN_USERS", DEFAULT.allowUnknownUsers()));
    }

    private static Optional<String> value(Map<String, String> env, String name) {
        return Optional.ofNullable(env.get(name)).map(String::strip).filter(v -> !v.isEmpty());
    }

    private static int integer(Map<String, String> env, String name, int defaultValue) {
        Optional<String> text = value(env, name);
        try {
            return text.map(Integer::parseInt).orElse(defaultValue);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be an integer, was '" + text.get() + "'");
        }
    }

    private static boolean bool(Map<String, String> env, String name, boolean defaultValue) {
        Optional<String> text = value(env, name);
        if (text.isEmpty()) {
            return defaultValue;
        }
        return switch (text.get().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(name + " must be true or false, was '" + text.get() + "'");
        };
    }
}
