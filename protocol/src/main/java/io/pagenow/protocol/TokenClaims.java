package io.pagenow.protocol;

import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;

import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What the claims of a Cognito-style token must say for it to name a user here: exact {@code iss},
 * {@code exp} with {@link #CLOCK_SKEW} by the verifier's clock, {@code token_use} {@code id} or
 * {@code access}, the audience ({@code aud} or {@code client_id}) when one is configured, and a
 * user name.
 */
final class TokenClaims {

    static final Duration CLOCK_SKEW = Duration.ofSeconds(60);
    private static final Set<String> TOKEN_USES = Set.of("id", "access");

    private final String issuer;
    private final Optional<String> audience;
    private final Clock clock;

    TokenClaims(AuthSettings settings, Clock clock) {
        this.issuer = settings.issuer();
        this.audience = settings.audience();
        this.clock = clock;
    }

    /** The checks nimbus runs as it processes a token: issuer, expiry, and the claims that must be there. */
    DefaultJWTClaimsVerifier<SecurityContext> standardChecks() {
        DefaultJWTClaimsVerifier<SecurityContext> verifier = new DefaultJWTClaimsVerifier<>(
                null,
                new JWTClaimsSet.Builder().issuer(issuer).build(),
                Set.of("exp", "iss", "token_use"),
                null) {
            @Override
            protected Date currentTime() {
                return Date.from(clock.instant());
            }
        };
        verifier.setMaxClockSkew((int) CLOCK_SKEW.toSeconds());
        return verifier;
    }

    /** The checks of this project, after {@link #standardChecks()}, then the user the token names. */
    String userIdOf(JWTClaimsSet claims) {
        checkTokenUse(claims);
        checkAudience(claims);
        return namedUser(claims);
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
    private static String namedUser(JWTClaimsSet claims) {
        for (String claim : new String[] {"cognito:username", "username", "sub"}) {
            if (claims.getClaim(claim) instanceof String userId && !userId.isBlank()) {
                return userId;
            }
        }
        throw new UnauthorizedException("Invalid token: names no user");
    }
}
