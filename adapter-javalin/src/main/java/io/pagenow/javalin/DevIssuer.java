package io.pagenow.javalin;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;

/**
 * The token issuer of development mode: a fresh RSA key per process, its public JWKS, and
 * ID-token-shaped JWTs like Cognito's. The server verifies these with the same checks as
 * production tokens; only the key's origin differs: the verifier is given the public key it
 * publishes at {@code /dev/jwks.json} rather than fetching it.
 */
final class DevIssuer {

    static final Duration TOKEN_LIFETIME = Duration.ofHours(1);

    private final RSAKey key;
    private final String issuer;
    private final Clock clock;

    DevIssuer(RSAKey key, String issuer, Clock clock) {
        this.key = key;
        this.issuer = issuer;
        this.clock = clock;
    }

    /** A fresh signing key; generated before the server listens, as it takes a moment. */
    static RSAKey newKey() {
        try {
            return new RSAKeyGenerator(2048).keyID("dev-" + UUID.randomUUID()).keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.RS256).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate the development signing key", e);
        }
    }

    String issuer() {
        return issuer;
    }

    /** The public key set, as a Cognito pool publishes it. */
    String jwksJson() {
        return new JWKSet(key.toPublicJWK()).toString();
    }

    /** An ID token for the user, valid for {@link #TOKEN_LIFETIME}. */
    String idToken(String userId) {
        Instant now = clock.instant();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .subject(UUID.nameUUIDFromBytes(userId.getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString())
                .audience("pagenow-dev")
                .claim("cognito:username", userId)
                .claim("token_use", "id")
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(TOKEN_LIFETIME)))
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID())
                .type(JOSEObjectType.JWT).build(), claims);
        try {
            jwt.sign(new RSASSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a development token", e);
        }
        return jwt.serialize();
    }
}
