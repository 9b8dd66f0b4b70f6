package io.pagenow.core.chat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Admits one typing notice per user and conversation per interval, by the caller's clock. Kept per
 * process: a client typing through two nodes may get one notice through each, which a typing
 * indicator tolerates; nothing of it is worth a store round trip.
 */
final class TypingThrottle {

    /** Past this many remembered pairs, the expired ones are dropped, so memory follows active typists. */
    private static final int PRUNE_ABOVE = 10_000;

    private final Duration interval;
    private final Map<Key, Instant> lastAdmitted = new ConcurrentHashMap<>();

    TypingThrottle(Duration interval) {
        this.interval = interval;
    }

    /** Whether a notice of {@code userId} in {@code conversationId} at {@code now} is forwarded. */
    boolean admit(String userId, UUID conversationId, Instant now) {
        boolean[] admitted = {false};
        lastAdmitted.compute(new Key(userId, conversationId), (key, last) -> {
            if (last == null || !now.isBefore(last.plus(interval))) {
                admitted[0] = true;
                return now;
            }
            return last;
        });
        if (admitted[0] && lastAdmitted.size() > PRUNE_ABOVE) {
            Instant expired = now.minus(interval);
            lastAdmitted.values().removeIf(last -> !last.isAfter(expired));
        }
        return admitted[0];
    }

    private record Key(String userId, UUID conversationId) {
    }
}
