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
 * @param userFlood            {@code USER_FLOOD_BURST}, {@code USER_FLOOD_REFILL_PER_SECOND}: the frames all of one
 *                             user's sockets on a node may send together; by default one socket's budget
 *                             ({@code FLOOD_BURST}, {@code FLOOD_REFILL_PER_SECOND})
 * @param maxSocketsPerUser    {@code MAX_SOCKETS_PER_USER}: one user's open sockets on a node, chat and presence
 *                             together; a new one beyond it closes the user's oldest with 1008
 * @param restRate             {@code REST_RATE_BURST}, {@code REST_RATE_PER_SECOND}: one user's REST requests on a
 *                             node; beyond it 429 with {@code Retry-After}
 * @param maxSockets           {@code MAX_SOCKETS}: the sockets a node holds at most, beyond it new ones are refused
 *                             with 503; 0 (the default) derives it from the descriptor limit
 */
public record Limits(int maxGroupParticipants, boolean allowUnknownUsers, FloodControl userFlood,
                     int maxSocketsPerUser, FloodControl restRate, int maxSockets) {

    public static final Limits DEFAULT = new Limits(ChatCore.DEFAULT_MAX_GROUP_PARTICIPANTS, false,
            FloodControl.DEFAULT, 20, new FloodControl(100, 20), 0);

    public Limits {
        if (maxGroupParticipants < 3 || maxGroupParticipants > 10_000) {
            throw new IllegalArgumentException("GROUP_MAX_PARTICIPANTS must be 3..10000, was " + maxGroupParticipants);
        }
        if (maxSocketsPerUser < 1) {
            throw new IllegalArgumentException("MAX_SOCKETS_PER_USER must be at least 1, was " + maxSocketsPerUser);
        }
        if (maxSockets < 0) {
            throw new IllegalArgumentException("MAX_SOCKETS must be 0 (from the descriptor limit) or more, was "
                    + maxSockets);
        }
    }

    public static Limits fromEnvironment(Map<String, String> env) {
        FloodControl socket = bucket(env, "FLOOD_BURST", FloodControl.DEFAULT.burst(),
                "FLOOD_REFILL_PER_SECOND", FloodControl.DEFAULT.refillPerSecond());
        return new Limits(
                integer(env, "GROUP_MAX_PARTICIPANTS", DEFAULT.maxGroupParticipants()),
                bool(env, "ALLOW_UNKNOWN_USERS", DEFAULT.allowUnknownUsers()),
                bucket(env, "USER_FLOOD_BURST", socket.burst(), "USER_FLOOD_REFILL_PER_SECOND", socket.refillPerSecond()),
                integer(env, "MAX_SOCKETS_PER_USER", DEFAULT.maxSocketsPerUser()),
                bucket(env, "REST_RATE_BURST", DEFAULT.restRate().burst(),
                        "REST_RATE_PER_SECOND", DEFAULT.restRate().refillPerSecond()),
                integer(env, "MAX_SOCKETS", DEFAULT.maxSockets()));
    }

    /** The {@code Retry-After} of a 429 answered for the REST rate: time for one token, in whole seconds. */
    public long restRetryAfterSeconds() {
        return Math.max(1, (long) Math.ceil(1 / restRate.refillPerSecond()));
    }

    private static FloodControl bucket(Map<String, String> env, String burstName, int burstDefault,
                                       String refillName, double refillDefault) {
        int burst = integer(env, burstName, burstDefault);
        double refill = decimal(env, refillName, refillDefault);
        if (burst < 1) {
            throw new IllegalArgumentException(burstName + " must be at least 1, was " + burst);
        }
        if (!(refill > 0) || Double.isInfinite(refill)) {
            throw new IllegalArgumentException(refillName + " must be a positive number, was " + refill);
        }
        return new FloodControl(burst, refill);
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

    private static double decimal(Map<String, String> env, String name, double defaultValue) {
        Optional<String> text = value(env, name);
        try {
            return text.map(Double::parseDouble).orElse(defaultValue);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number, was '" + text.get() + "'");
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
