package io.pagenow.protocol;

import io.pagenow.config.Environment;
import io.pagenow.core.chat.ChatCore;

/**
 * The abuse limits, read from the environment in one place so either composition root (the
 * server's, the Lambda's) plugs them in alike. Every variable is optional; a malformed or
 * out-of-range value fails the start with the shared reader's
 * {@link io.pagenow.config.ConfigurationException} naming it.
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

    /**
     * @param socketFlood one socket's budget ({@link FloodControl#from}), read once by the caller: the
     *                    default of the per-user budget
     * @throws io.pagenow.config.ConfigurationException naming the malformed or out-of-range variable
     */
    public static Limits from(Environment env, FloodControl socketFlood) {
        return new Limits(
                env.integer("GROUP_MAX_PARTICIPANTS", DEFAULT.maxGroupParticipants(), 3, 10_000),
                env.bool("ALLOW_UNKNOWN_USERS", DEFAULT.allowUnknownUsers()),
                bucket(env, "USER_FLOOD_BURST", "USER_FLOOD_REFILL_PER_SECOND", socketFlood),
                env.integer("MAX_SOCKETS_PER_USER", DEFAULT.maxSocketsPerUser(), 1, Integer.MAX_VALUE),
                bucket(env, "REST_RATE_BURST", "REST_RATE_PER_SECOND", DEFAULT.restRate()),
                env.integer("MAX_SOCKETS", DEFAULT.maxSockets(), 0, Integer.MAX_VALUE));
    }

    /** The {@code Retry-After} of a 429 answered for the REST rate: time for one token, in whole seconds. */
    public long restRetryAfterSeconds() {
        return Math.max(1, (long) Math.ceil(1 / restRate.refillPerSecond()));
    }

    private static FloodControl bucket(Environment env, String burstName, String refillName, FloodControl fallback) {
        return new FloodControl(env.integer(burstName, fallback.burst(), 1, Integer.MAX_VALUE),
                env.positiveNumber(refillName, fallback.refillPerSecond()));
    }
}
