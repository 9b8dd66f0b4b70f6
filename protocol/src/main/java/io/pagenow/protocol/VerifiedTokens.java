package io.pagenow.protocol;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Tokens that passed every check, remembered by their SHA-256 (the token itself is never kept)
 * until their {@code exp} and at most {@link #VERIFIED_TIME_TO_LIVE}, so a client sending the same
 * token with every request pays for one signature check. A remembered token is still refused once
 * expired by the verifier's clock, with the full check's words.
 */
final class VerifiedTokens {

    /** Verified tokens remembered; a few per active user. */
    static final int VERIFIED_TOKENS = 10_000;
    /** How long a verified token is trusted without a new signature check, at most. */
    static final Duration VERIFIED_TIME_TO_LIVE = Duration.ofMinutes(5);

    private final Clock clock;
    private final Cache<TokenHash, Verified> verified;

    /** @param ticker the time the remembered tokens are dropped by (tests move it with their clock) */
    VerifiedTokens(Clock clock, Ticker ticker) {
        this.clock = clock;
        this.verified = Caffeine.newBuilder()
                .maximumSize(VERIFIED_TOKENS)
                .ticker(ticker)
                .expireAfter(Expiry.creating((TokenHash hash, Verified token) -> trustFor(token)))
                .build();
    }

    /**
     * The user a remembered token names; empty when it is not remembered.
     *
     * @throws UnauthorizedException when it is remembered but has expired since (it is forgotten)
     */
    Optional<String> userOf(TokenHash hash) {
        Verified known = verified.getIfPresent(hash);
        if (known == null) {
            return Optional.empty();
        }
        if (expired(known.expires())) {
            verified.invalidate(hash);
            // As the full check words it.
            throw new UnauthorizedException("Invalid token: Expired JWT");
        }
        return Optional.of(known.userId());
    }

    /** Only for a token that passed every check. */
    void remember(TokenHash hash, String userId, Instant expires) {
        verified.put(hash, new Verified(userId, expires));
    }

    /** Past {@code exp} by more than the skew, exactly as the full check decides it. */
    private boolean expired(Instant expires) {
        return !expires.plus(TokenClaims.CLOCK_SKEW).isAfter(clock.instant());
    }

    private Duration trustFor(Verified token) {
        Duration left = Duration.between(clock.instant(), token.expires().plus(TokenClaims.CLOCK_SKEW));
        if (left.isNegative()) {
            return Duration.ZERO;
        }
        return left.compareTo(VERIFIED_TIME_TO_LIVE) < 0 ? left : VERIFIED_TIME_TO_LIVE;
    }

    /** A token that passed every check: whom it names and when it expires. */
    private record Verified(String userId, Instant expires) {
    }

    /** The SHA-256 of a token: the cache key, so no token stays in memory after its request. */
    record TokenHash(long a, long b, long c, long d) {

        static TokenHash of(String token) {
            MessageDigest sha256;
            try {
                sha256 = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every Java platform has SHA-256", e);
            }
            ByteBuffer digest = ByteBuffer.wrap(sha256.digest(token.getBytes(StandardCharsets.UTF_8)));
            return new TokenHash(digest.getLong(), digest.getLong(), digest.getLong(), digest.getLong());
        }
    }
}
