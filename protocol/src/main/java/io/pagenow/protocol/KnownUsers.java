package io.pagenow.protocol;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.pagenow.core.error.ForbiddenException;
import io.pagenow.core.error.StoreUnavailableException;
import io.pagenow.core.social.port.out.SocialGraph;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Admits only users the user directory knows: a valid token of a user absent from it (a deleted
 * account, an issuer shared with another application) gets 403 on chat and presence alike. What
 * the directory answered is kept for {@link #REMEMBERED}, so a busy user costs one lookup per
 * interval; while the directory is unreachable users are let through on their valid token alone,
 * rather than shutting everyone out of presence (which Redis serves) for a PostgreSQL outage.
 */
public final class KnownUsers implements Authenticator {

    static final Duration REMEMBERED = Duration.ofSeconds(30);
    private static final long MAXIMUM_USERS = 100_000;

    private final Authenticator tokens;
    private final SocialGraph directory;
    private final Cache<String, Boolean> known;

    public KnownUsers(Authenticator tokens, SocialGraph directory, Clock clock) {
        this.tokens = tokens;
        this.directory = directory;
        this.known = Caffeine.newBuilder()
                .maximumSize(MAXIMUM_USERS)
                .expireAfterWrite(REMEMBERED)
                .ticker(() -> clock.millis() * 1_000_000L)
                .build();
    }

    @Override
    public String authenticate(String authorization) {
        String userId = tokens.authenticate(authorization);
        Boolean isKnown = known.getIfPresent(userId);
        if (isKnown == null) {
            try {
                isKnown = directory.usersById(List.of(userId)).containsKey(userId);
            } catch (StoreUnavailableException e) {
                return userId;
            }
            known.put(userId, isKnown);
        }
        if (!isKnown) {
            throw new ForbiddenException("User " + userId + " is not known to the user directory");
        }
        return userId;
    }
}
