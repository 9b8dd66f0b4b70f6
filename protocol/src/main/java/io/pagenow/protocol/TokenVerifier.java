package io.pagenow.protocol;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
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
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.pagenow.core.error.StoreUnavailableException;
import io.pagenow.protocol.VerifiedTokens.TokenHash;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.MalformedURLException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Verifies Cognito-style JWTs: RS256 only, against the issuer's JWKS (fetched once, cached, and
 * refetched when a token names a key the cache does not have), then the claims {@link TokenClaims}
 * requires: exact {@code iss}, {@code exp} with a small skew, {@code token_use} {@code id} or
 * {@code access}, and the audience when one is configured.
 * {@code alg: none}, HMAC (including one keyed with the public key) and unknown keys never verify,
 * because only RS256 keys from the JWKS are ever selected.
 *
 * <p>A token that passed every check is remembered ({@link VerifiedTokens}), by its SHA-256, until
 * its {@code exp} and at most {@link VerifiedTokens#VERIFIED_TIME_TO_LIVE}: a REST client sends the
 * same token with every request, and the RS256 check was 13% of the server's CPU on REST. A
 * remembered token is still refused once expired by the verifier's clock; a token that fails is
 * never remembered, so each attempt is checked in full. All other checks depend only on the token
 * and this verifier's settings, so their outcome cannot change while the token is remembered.
 * The price: a key the issuer withdraws keeps verifying the tokens it signed, already seen here,
 * for at most {@link VerifiedTokens#VERIFIED_TIME_TO_LIVE}.
 */
public final class TokenVerifier implements Authenticator {

    private static final Logger LOG = LoggerFactory.getLogger(TokenVerifier.class);

    private static final int HTTP_TIMEOUT_MILLIS = 3_000;
    private static final int JWKS_SIZE_LIMIT_BYTES = 256 * 1024;
    private static final Duration KEYS_TIME_TO_LIVE = Duration.ofHours(6);
    private static final Duration KEYS_REFRESH_TIMEOUT = Duration.ofSeconds(5);
    /** An unknown kid refetches the keys at most this often, so junk tokens cannot hammer the issuer. */
    private static final Duration UNKNOWN_KEY_REFETCH_INTERVAL = Duration.ofSeconds(30);

    private final DefaultJWTProcessor<SecurityContext> processor;
    private final TokenClaims claims;
    private final VerifiedTokens verified;

    TokenVerifier(AuthSettings settings, JWKSource<SecurityContext> keys, Clock clock) {
        this(settings, keys, clock, Ticker.systemTicker());
    }

    /** @param ticker the time the remembered tokens are dropped by (tests move it with their clock) */
    TokenVerifier(AuthSettings settings, JWKSource<SecurityContext> keys, Clock clock, Ticker ticker) {
        this.claims = new TokenClaims(settings, clock);
        this.verified = new VerifiedTokens(clock, ticker);
        this.processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, keys));
        processor.setJWTClaimsSetVerifier(claims.standardChecks());
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
        Optional<String> known = verified.userOf(hash);
        if (known.isPresent()) {
            return known.get();
        }
        return verify(token, hash);
    }

    /** The full check; remembers the token only when it passes. */
    private String verify(String token, TokenHash hash) {
        JWTClaimsSet checked;
        try {
            checked = processor.process(token, null);
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
        String userId = claims.userIdOf(checked);
        // The processor requires exp, so a token that got here has one.
        verified.remember(hash, userId, checked.getExpirationTime().toInstant());
        return userId;
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
}
