package io.pagenow.protocol;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import java.util.function.Consumer;

/** A token issuer for tests: an RSA key, its JWKS, and tokens good and bad. */
final class TestIssuer {

    static final String ISSUER = "https://issuer.test/pool";

    private final RSAKey key;
    private final Clock clock;

    TestIssuer(Clock clock) {
        this.clock = clock;
        this.key = newKey("test-key");
    }

    static RSAKey newKey(String kid) {
        try {
            return new RSAKeyGenerator(2048).keyID(kid).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    RSAKey key() {
        return key;
    }

    String jwksJson() {
        return new JWKSet(key.toPublicJWK()).toString();
    }

    /** A verifier that trusts this issuer's key, without HTTP. */
    TokenVerifier verifier(Optional<String> audience) {
        AuthSettings settings = new AuthSettings(URI.create("http://unused.test/jwks.json"), ISSUER, audience);
        return new TokenVerifier(settings, new ImmutableJWKSet<>(new JWKSet(key.toPublicJWK())), clock);
    }

    /** A valid Cognito-style ID token for the user. */
    String idToken(String userId) {
        return signed(claims(userId), key);
    }

    JWTClaimsSet.Builder claims(String userId) {
        Instant now = clock.instant();
        return new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .subject("sub-" + userId)
                .claim("cognito:username", userId)
                .claim("token_use", "id")
                .audience("client-1")
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(Duration.ofHours(1))));
    }

    String idToken(String userId, Consumer<JWTClaimsSet.Builder> change) {
        JWTClaimsSet.Builder builder = claims(userId);
        change.accept(builder);
        return signed(builder, key);
    }

    static String signed(JWTClaimsSet.Builder claims, RSAKey signingKey) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(signingKey.getKeyID()).build(),
                    claims.build());
            jwt.sign(new RSASSASigner(signingKey));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code alg: none}: no signature at all. */
    String unsecured(String userId) {
        return new PlainJWT(claims(userId).build()).serialize();
    }

    /**
     * The classic key-confusion attack: HS256 keyed with the bytes of the public key, which a
     * verifier that lets the token pick the algorithm would accept.
     */
    String hmacWithPublicKey(String userId) {
        try {
            byte[] secret = key.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8);
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(key.getKeyID()).build(),
                    claims(userId).build());
            jwt.sign(new MACSigner(secret));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Signed with another key that claims this issuer's key id. */
    String wrongSignature(String userId) {
        RSAKey impostor = newKey(key.getKeyID());
        return signed(claims(userId), impostor);
    }

    /** A valid token whose signature bytes were swapped for another token's. */
    String tamperedPayload(String userId, String otherUserId) {
        String[] genuine = idToken(userId).split("\\.");
        String[] other = idToken(otherUserId).split("\\.");
        return genuine[0] + "." + other[1] + "." + genuine[2];
    }

    static String base64(String text) {
        return Base64URL.encode(text.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
