package io.pagenow.lambda;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/**
 * A Cognito-like token issuer on loopback: an RSA key whose public JWKS is served over HTTP at
 * {@code /pool/.well-known/jwks.json}, so the handlers verify tokens through the real verifier and
 * its real key fetch. Tokens are ID-token shaped, with {@code cognito:username}.
 */
final class LoopbackIssuer implements AutoCloseable {

    private final HttpServer server;
    private final RSAKey key;
    private final Clock clock;
    private final java.util.concurrent.atomic.AtomicInteger keyFetches = new java.util.concurrent.atomic.AtomicInteger();

    LoopbackIssuer(Clock clock) throws IOException, JOSEException {
        this.clock = clock;
        this.key = new RSAKeyGenerator(2048).keyID("loopback-key").generate();
        byte[] jwks = new JWKSet(key.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/pool/.well-known/jwks.json", exchange -> {
            try (exchange) {
                keyFetches.incrementAndGet();
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, jwks.length);
                exchange.getResponseBody().write(jwks);
            }
        });
        server.start();
    }

    String issuer() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/pool";
    }

    String jwksUrl() {
        return issuer() + "/.well-known/jwks.json";
    }

    /** How often the JWKS was fetched. */
    int keyFetches() {
        return keyFetches.get();
    }

    /** A valid ID token for the user, good for an hour of the clock. */
    String token(String userId) {
        return sign(key, userId, clock.instant().plus(Duration.ofHours(1)));
    }

    String expiredToken(String userId) {
        return sign(key, userId, clock.instant().minus(Duration.ofHours(1)));
    }

    /** A well-formed token signed by a key the issuer never published. */
    String foreignToken(String userId) throws JOSEException {
        return sign(new RSAKeyGenerator(2048).keyID("loopback-key").generate(), userId,
                clock.instant().plus(Duration.ofHours(1)));
    }

    private String sign(RSAKey signingKey, String userId, Instant expiry) {
        Instant now = clock.instant();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(issuer())
                .subject("sub-" + userId)
                .claim("cognito:username", userId)
                .claim("token_use", "id")
                .audience("client-1")
                .issueTime(Date.from(now.minus(Duration.ofHours(2))))
                .expirationTime(Date.from(expiry))
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(signingKey.getKeyID()).build(),
                claims);
        try {
            jwt.sign(new RSASSASigner(signingKey));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
