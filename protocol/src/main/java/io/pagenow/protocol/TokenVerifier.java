package io.pagenow.protocol;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.pagenow.core.error.StoreUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.MalformedURLException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Verifies Cognito-style JWTs: RS256 only, against the issuer's JWKS (fetched once, cached, and
 * refetched when a token names a key the cache does not have), exact {@code iss}, {@code exp} with a
 * small skew, {@code token_use} {@code id} or {@code access}, and the audience when one is configured.
 * {@code alg: none}, HMAC (including one keyed with the public key) and unknown keys never verify,
 * because only RS256 keys from the JWKS are ever selected.
 *
 * <p>A token that passed every check is remembered, by its SHA-256 (the token itself is never
 * kept), until its {@code exp} and at most {@link #VERIFIED_TIME_TO_LIVE}: a REST client sends the
 * same token with every request, and the RS256 check was 13% of the server's CPU on REST. A
 * remembered token is still refused once expired by the verifier's clock; a token that fails is
 * never remembered, so each attempt is checked in full. All other checks depend only on the token
 * and this verifier's settings, so their outcome cannot change while the token is remembered.
 * The price: a key the issuer withdraws keeps verifying the tokens it signed, already seen here,
 * for at most {@link #VERIFIED_TIME_TO_LIVE}.
 */
public final class TokenVerifier implements Authenticator {

    private static final Logger LOG = LoggerFactory.getLogger(TokenVerifier.class);

    static final Duration CLOCK_SKEW = Duration.ofSeconds(60);
    private static final int HTTP_TIMEOUT_MILLIS = 3_000;
    private static final int JWKS_SIZE_LIMIT_BYTES = 256 * 1024;
    private static final Duration KEYS_TIME_TO_LIVE = Duration.ofHours(6);
    private static final Duration KEYS_REFRESH_TIMEOUT = Duration.ofSeconds(5);
    /** An unknown kid refetches the keys at most this often, so junk tokens cannot hammer the issuer. */
    private static final Duration UNKNOWN_KEY_REFETCH_INTERVAL = Duration.ofSeconds(30);
    private static final Set<String> TOKEN_USES = Set.of("id", "access");
    /** Verified tokens remembered; a few per active user. */
    static final int VERIFIED_TOKENS = 10_000;
    /** How long a verified token is trusted without a new signature check, at most. */
    static final Duration VERIFIED_TIME_TO_LIVE = Duration.ofMinutes(5);

    private final DefaultJWTProcessor<SecurityContext> processor;
    private final Optional<String> audience;
    private final Clock clock;
    private final Cache<TokenHash, Verified> verified;

    TokenVerifier(AuthSettings settings, JWKSource<SecurityContext> keys, Clock clock) {
        this(settings, keys, clock, Ticker.systemTicker());
    }

    /** @param ticker the time the remembered tokens are dropped by (tests move it with their clock) */
    TokenVerifier(AuthSettings settings, JWKSource<SecurityContext> keys, Clock clock, Ticker ticker) {
        this.audience = settings.audience();
        this.clock = clock;
        this.verified = Caffeine.newBuilder()
                .maximumSize(VERIFIED_TOKENS)
                .ticker(ticker)
                .expireAfter(Expiry.creating((TokenHash hash, Verified token) -> trustFor(token)))
                .build();
        this.processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, keys));
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(
                null,
                new JWTClaimsSet.Builder().issuer(settings.issuer()).build(),
                Set.of("exp", "iss", "token_use"),
                null) {
            @Override
            protected Date currentTime() {
                return Date.from(clock.instant());
            }
        };
        claims.setMaxClockSkew((int) CLOCK_SKEW.toSeconds());
        processor.setJWTClaimsSetVerifier(claims);
    }

    /** A verifier that fetches the keys from {@code settings.jwksUrl()} on first use. */
    public static TokenVerifier create(AuthSettings settings, Clock clock) {
        JWKSource<SecurityContext> keys;
        try {
            keys = JWKSourceBuilder.<SecurityContext>create(settings.jwksUrl().toURL(),
                            new DefaultResourceRetriever(HTTP_TIMEOUT_MILLIS, HTTP_TIMEOUT_MILLIS,
                                    JWKS_SIZE_LIMIT_BYTES))
                    .cache(KEYS_TIME_TO_LIVE.toMillis(), KEYS_REFRESH_TIMEOUT.toMillis())
                    .rateLimited(UNKNOWN_KEY_REFETCH_INTERVAL.toMillis())
                    .retrying(true)
                    .build();
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("JWKS URL is not a URL: " + settings.jwksUrl(), e);
        }
        return new TokenVerifier(settings, keys, clock);
    }

    /**
     * A verifier that trusts these keys, given rather than fetched: the server's own development
     * issuer, whose keys are in the same process. Only their public parts are used.
     *
     * @param jwksJson the key set as its issuer publishes it (JWKS JSON)
     * @throws IllegalArgumentException when it is not a key set
     */
    public static TokenVerifier trusting(AuthSettings settings, String jwksJson, Clock clock) {
        JWKSet keys;
        try {
            keys = JWKSet.parse(jwksJson);
        } catch (ParseException e) {
            throw new IllegalArgumentException("not a JWKS: " + e.getMessage(), e);
        }
        return new TokenVerifier(settings, new ImmutableJWKSet<>(keys.toPublicJWKSet()), clock);
    }

    @Override
    public String authenticate(String authorization) {
        String token = tokenOf(authorization);
        TokenHash hash = TokenHash.of(token);
        Verified known = verified.getIfPresent(hash);
        if (known != null) {
            if (expired(known.expires())) {
                verified.invalidate(hash);
                // As the full check words it.
                throw new UnauthorizedException("Invalid token: Expired JWT");
            }
            return known.userId();
        }
        return verify(token, hash);
    }

    /** The full check; remembers the token only when it passes. */
    private String verify(String token, TokenHash hash) {
        JWTClaimsSet claims;
        try {
            claims = processor.process(token, null);
        } catch (ParseException e) {
            throw new UnauthorizedException("Malformed token");
        } catch (BadJOSEException e) {
            throw new UnauthorizedException("Invalid token: " + e.getMessage());
        } catch (RateLimitReachedException e) {
            // The keys were just refetched for another unknown kid: this one is unknown too.
            throw new UnauthorizedException("Invalid token: unknown signing key");
        } catch (KeySourceException e) {
            LOG.warn("Cannot fetch the token issuer's keys: {}", e.toString());
            throw new StoreUnavailableException("token issuer keys", e);
        } catch (JOSEException e) {
            throw new UnauthorizedException("Invalid token: " + e.getMessage());
        }
        checkTokenUse(claims);
        checkAudience(claims);
        String userId = userIdOf(claims);
        // The processor requires exp, so a token that got here has one.
        verified.put(hash, new Verified(userId, claims.getExpirationTime().toInstant()));
        return userId;
    }

    /** Past {@code exp} by more than the skew, exactly as the full check decides it. */
    private boolean expired(Instant expires) {
        return !expires.plus(CLOCK_SKEW).isAfter(clock.instant());
    }

    private Duration trustFor(Verified token) {
        Duration left = Duration.between(clock.instant(), token.expires().plus(CLOCK_SKEW));
        if (left.isNegative()) {
            return Duration.ZERO;
        }
        return left.compareTo(VERIFIED_TIME_TO_LIVE) < 0 ? left : VERIFIED_TIME_TO_LIVE;
    }

    /** A token that passed every check: whom it names and when it expires. */
    private record Verified(String userId, Instant expires) {
    }

    /** The SHA-256 of a token: the cache key, so no token stays in memory after its request. */
    private record TokenHash(long a, long b, long c, long d) {

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

    private static String tokenOf(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            throw new UnauthorizedException("Missing token");
        }
        String value = authorization.strip();
        if (value.length() > 7 && value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            value = value.substring(7).strip();
        }
        return value;
    }

    private static void checkTokenUse(JWTClaimsSet claims) {
        Object use = claims.getClaim("token_use");
        if (!(use instanceof String text) || !TOKEN_USES.contains(text.toLowerCase(Locale.ROOT))) {
            throw new UnauthorizedException("Invalid token: token_use must be id or access");
        }
    }

    private void checkAudience(JWTClaimsSet claims) {
        if (audience.isEmpty()) {
            return;
        }
        String expected = audience.get();
        List<String> aud = claims.getAudience();
        Object clientId = claims.getClaim("client_id");
        if (!aud.contains(expected) && !expected.equals(clientId)) {
            throw new UnauthorizedException("Invalid token: not issued for this client");
        }
    }

    /** Cognito ID tokens name the user in {@code cognito:username}, access tokens in {@code username}. */
    private static String userIdOf(JWTClaimsSet claims) {
        for (String claim : new String[] {"cognito:username", "username", "sub"}) {
            if (claims.getClaim(claim) instanceof String userId && !userId.isBlank()) {
                return userId;
            }
        }
        throw new UnauthorizedException("Invalid token: names no user");
    }
}
