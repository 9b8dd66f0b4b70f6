package io.pagenow.protocol;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
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
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
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

    private final DefaultJWTProcessor<SecurityContext> processor;
    private final Optional<String> audience;

    TokenVerifier(AuthSettings settings, JWKSource<SecurityContext> keys, Clock clock) {
        this.audience = settings.audience();
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

    @Override
    public String authenticate(String authorization) {
        String token = tokenOf(authorization);
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
        return userIdOf(claims);
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
