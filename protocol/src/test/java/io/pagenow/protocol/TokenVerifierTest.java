package io.pagenow.protocol;

import com.github.benmanes.caffeine.cache.Ticker;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import com.sun.net.httpserver.HttpServer;
import io.pagenow.core.error.StoreUnavailableException;
import io.pagenow.core.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Date;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The verifier against a real JWKS endpoint on loopback, as in production. */
class TokenVerifierTest {

    private final MutableClock clock = MutableClock.startingAt("2026-11-23T10:15:30.123Z");
    private final TestIssuer issuer = new TestIssuer(clock);
    private final AtomicInteger jwksFetches = new AtomicInteger();
    private HttpServer jwksServer;
    private TokenVerifier verifier;

    @BeforeEach
    void serveJwks() throws IOException {
        jwksServer = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        jwksServer.createContext("/jwks.json", exchange -> {
            jwksFetches.incrementAndGet();
            byte[] body = issuer.jwksJson().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        jwksServer.start();
        verifier = verifierFor(Optional.empty());
    }

    @AfterEach
    void stop() {
        jwksServer.stop(0);
    }

    private TokenVerifier verifierFor(Optional<String> audience) {
        URI jwks = URI.create("http://127.0.0.1:" + jwksServer.getAddress().getPort() + "/jwks.json");
        return TokenVerifier.create(new AuthSettings(jwks, TestIssuer.ISSUER, audience), clock);
    }

    @Test
    void acceptsAnIdTokenAndNamesTheUserByCognitoUsername() {
        assertEquals("alice", verifier.authenticate(issuer.idToken("alice")));
    }

    @Test
    void acceptsTheBearerFormAsWellAsTheRawToken() {
        assertEquals("alice", verifier.authenticate("Bearer " + issuer.idToken("alice")));
        assertEquals("alice", verifier.authenticate("bearer " + issuer.idToken("alice")));
    }

    @Test
    void anAccessTokenNamesTheUserByUsernameAndFallsBackToSub() {
        String access = issuer.idToken("ignored", c -> c.claim("cognito:username", null)
                .claim("username", "bob").claim("token_use", "access"));
        assertEquals("bob", verifier.authenticate(access));
        String subOnly = issuer.idToken("ignored", c -> c.claim("cognito:username", null).subject("carol"));
        assertEquals("carol", verifier.authenticate(subOnly));
    }

    @Test
    void fetchesTheKeysOnceAndCachesThem() {
        for (int i = 0; i < 5; i++) {
            verifier.authenticate(issuer.idToken("alice"));
        }
        assertEquals(1, jwksFetches.get());
    }

    @Test
    void refusesAMissingOrMalformedToken() {
        assertEquals("Missing token", assertThrows(UnauthorizedException.class,
                () -> verifier.authenticate(null)).getMessage());
        assertThrows(UnauthorizedException.class, () -> verifier.authenticate("  "));
        assertEquals("Malformed token", assertThrows(UnauthorizedException.class,
                () -> verifier.authenticate("not-a-jwt")).getMessage());
    }

    @Test
    void refusesAWrongSignatureAndATamperedPayload() {
        assertThrows(UnauthorizedException.class, () -> verifier.authenticate(issuer.wrongSignature("alice")));
        assertThrows(UnauthorizedException.class,
                () -> verifier.authenticate(issuer.tamperedPayload("alice", "mallory")));
    }

    @Test
    void refusesAnExpiredTokenBeyondTheClockSkewOnly() {
        String token = issuer.idToken("alice");
        clock.advance(Duration.ofHours(1).plus(TokenClaims.CLOCK_SKEW).minusSeconds(1));
        assertEquals("alice", verifier.authenticate(token));
        clock.advance(Duration.ofSeconds(2));
        assertThrows(UnauthorizedException.class, () -> verifier.authenticate(token));
    }

    @Test
    void refusesATokenWithoutExpiry() {
        assertThrows(UnauthorizedException.class,
                () -> verifier.authenticate(issuer.idToken("alice", c -> c.expirationTime(null))));
    }

    @Test
    void refusesAnotherIssuer() {
        assertThrows(UnauthorizedException.class, () -> verifier.authenticate(
                issuer.idToken("alice", c -> c.issuer("https://evil.test/pool"))));
    }

    @Test
    void refusesAlgNone() {
        assertThrows(UnauthorizedException.class, () -> verifier.authenticate(issuer.unsecured("alice")));
    }

    @Test
    void refusesAnHmacTokenKeyedWithThePublicKey() {
        assertThrows(UnauthorizedException.class, () -> verifier.authenticate(issuer.hmacWithPublicKey("alice")));
    }

    @Test
    void refusesAnUnknownKeyIdAfterRefetchingTheKeysAtMostOnce() {
        RSAKey stranger = TestIssuer.newKey("stranger");
        verifier.authenticate(issuer.idToken("alice"));
        for (int i = 0; i < 3; i++) {
            UnauthorizedException refused = assertThrows(UnauthorizedException.class,
                    () -> verifier.authenticate(TestIssuer.signed(issuer.claims("alice"), stranger)));
            assertTrue(refused.getMessage().startsWith("Invalid token"), refused.getMessage());
        }
        assertTrue(jwksFetches.get() <= 2, "fetches: " + jwksFetches.get());
    }

    @Test
    void refusesAWrongOrMissingTokenUse() {
        assertThrows(UnauthorizedException.class, () -> verifier.authenticate(
                issuer.idToken("alice", c -> c.claim("token_use", "refresh"))));
        assertThrows(UnauthorizedException.class, () -> verifier.authenticate(
                issuer.idToken("alice", c -> c.claim("token_use", null))));
    }

    @Test
    void checksTheAudienceOrClientIdWhenConfigured() {
        TokenVerifier strict = verifierFor(Optional.of("client-1"));
        assertEquals("alice", strict.authenticate(issuer.idToken("alice")));
        String access = issuer.idToken("bob", c -> c.audience((String) null).claim("token_use", "access")
                .claim("client_id", "client-1"));
        assertEquals("bob", strict.authenticate(access));
        assertThrows(UnauthorizedException.class, () -> strict.authenticate(
                issuer.idToken("alice", c -> c.audience("client-2"))));
        assertThrows(UnauthorizedException.class, () -> strict.authenticate(
                issuer.idToken("alice", c -> c.audience((String) null).claim("client_id", "client-2"))));
    }

    @Test
    void anUnreachableIssuerIsAnInfrastructureFailureNotABadToken() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        TokenVerifier unreachable = TokenVerifier.create(new AuthSettings(
                URI.create("http://127.0.0.1:" + closedPort + "/jwks.json"), TestIssuer.ISSUER, Optional.empty()), clock);
        assertThrows(StoreUnavailableException.class, () -> unreachable.authenticate(issuer.idToken("alice")));
    }

    @Test
    void usesTheInjectedClockForNotBefore() {
        String future = issuer.idToken("alice", c -> c.notBeforeTime(Date.from(clock.instant().plus(Duration.ofHours(1)))));
        assertThrows(UnauthorizedException.class, () -> verifier.authenticate(future));
        clock.advance(Duration.ofHours(1));
        assertEquals("alice", verifier.authenticate(future));
    }

    // Remembered verifications. The key source below counts signature checks: nimbus asks it for
    // the key on every full verification, never on a remembered one.

    private final AtomicInteger keyLookups = new AtomicInteger();

    private TokenVerifier counting(Optional<String> audience, Ticker ticker) {
        JWKSet keys = new JWKSet(issuer.key().toPublicJWK());
        JWKSource<SecurityContext> source = (selector, context) -> {
            keyLookups.incrementAndGet();
            return selector.select(keys);
        };
        return new TokenVerifier(new AuthSettings(URI.create("http://unused.test/jwks.json"), TestIssuer.ISSUER,
                audience), source, clock, ticker);
    }

    /** Cache time that moves with the test's clock. */
    private Ticker clockTicker() {
        return () -> clock.millis() * 1_000_000L;
    }

    @Test
    void aVerifiedTokenIsAcceptedAgainWithoutASecondSignatureCheck() {
        TokenVerifier cached = counting(Optional.empty(), clockTicker());
        String token = issuer.idToken("alice");
        for (int i = 0; i < 5; i++) {
            assertEquals("alice", cached.authenticate(token));
        }
        assertEquals("alice", cached.authenticate("Bearer " + token));
        assertEquals(1, keyLookups.get());
    }

    @Test
    void aCachedTokenIsRefusedOnceItExpires() {
        // A ticker that never moves: the entry stays, so the refusal is the cache's own exp check.
        TokenVerifier cached = counting(Optional.empty(), () -> 0L);
        String token = issuer.idToken("alice");
        assertEquals("alice", cached.authenticate(token));
        clock.advance(Duration.ofHours(1).plus(TokenClaims.CLOCK_SKEW).minusSeconds(1));
        assertEquals("alice", cached.authenticate(token));
        clock.advance(Duration.ofSeconds(2));
        UnauthorizedException refused = assertThrows(UnauthorizedException.class, () -> cached.authenticate(token));
        assertEquals("Invalid token: Expired JWT", refused.getMessage());
        assertEquals(1, keyLookups.get(), "refused by the remembered exp, not by a new check");
        assertThrows(UnauthorizedException.class, () -> cached.authenticate(token));
    }

    @Test
    void aTamperedTokenIsRefusedWhileTheGenuineOneIsCached() {
        TokenVerifier cached = counting(Optional.empty(), clockTicker());
        String genuine = issuer.idToken("alice");
        assertEquals("alice", cached.authenticate(genuine));
        String[] parts = genuine.split("\\.");
        String mallory = issuer.idToken("mallory").split("\\.")[1];
        assertThrows(UnauthorizedException.class, () -> cached.authenticate(parts[0] + "." + mallory + "." + parts[2]));
        char last = parts[2].charAt(parts[2].length() - 2);
        String flipped = parts[0] + "." + parts[1] + "." + parts[2].substring(0, parts[2].length() - 2)
                + (last == 'A' ? 'B' : 'A') + parts[2].charAt(parts[2].length() - 1);
        assertNotEquals(genuine, flipped);
        assertThrows(UnauthorizedException.class, () -> cached.authenticate(flipped));
        assertThrows(UnauthorizedException.class, () -> cached.authenticate(genuine + "x"));
        assertEquals("alice", cached.authenticate(genuine));
    }

    @Test
    void aFailedVerificationIsNotRemembered() {
        TokenVerifier cached = counting(Optional.empty(), clockTicker());
        String early = issuer.idToken("alice", c -> c.notBeforeTime(Date.from(clock.instant().plus(Duration.ofHours(1)))));
        assertThrows(UnauthorizedException.class, () -> cached.authenticate(early));
        assertThrows(UnauthorizedException.class, () -> cached.authenticate(early));
        assertEquals(2, keyLookups.get(), "each attempt checked in full");
        clock.advance(Duration.ofHours(1));
        assertEquals("alice", cached.authenticate(early));
    }

    @Test
    void aVerifiedTokenIsRecheckedAfterTheCacheLifetime() {
        TokenVerifier cached = counting(Optional.empty(), clockTicker());
        String token = issuer.idToken("alice");
        cached.authenticate(token);
        clock.advance(VerifiedTokens.VERIFIED_TIME_TO_LIVE.minusSeconds(1));
        cached.authenticate(token);
        assertEquals(1, keyLookups.get());
        clock.advance(Duration.ofSeconds(2));
        assertEquals("alice", cached.authenticate(token));
        assertEquals(2, keyLookups.get());
    }

    @Test
    void theAudienceStaysAsStrictWhenAnotherVerifierCachedTheToken() {
        String forClient2 = issuer.idToken("alice", c -> c.audience("client-2"));
        TokenVerifier lax = counting(Optional.empty(), clockTicker());
        TokenVerifier strict = counting(Optional.of("client-1"), clockTicker());
        assertEquals("alice", lax.authenticate(forClient2));
        assertThrows(UnauthorizedException.class, () -> strict.authenticate(forClient2));
        assertThrows(UnauthorizedException.class, () -> strict.authenticate(forClient2));
        String wrongUse = issuer.idToken("alice", c -> c.claim("token_use", "refresh"));
        assertThrows(UnauthorizedException.class, () -> strict.authenticate(wrongUse));
        assertThrows(UnauthorizedException.class, () -> strict.authenticate(wrongUse));
    }

    @Test
    void givenKeysVerifyWithoutAnyFetch() {
        TokenVerifier given = TokenVerifier.trusting(new AuthSettings(
                URI.create("http://127.0.0.1:" + jwksServer.getAddress().getPort() + "/jwks.json"),
                TestIssuer.ISSUER, Optional.empty()), issuer.jwksJson(), clock);
        assertEquals("alice", given.authenticate(issuer.idToken("alice")));
        assertThrows(UnauthorizedException.class, () -> given.authenticate(issuer.wrongSignature("alice")));
        assertEquals(0, jwksFetches.get());
        assertThrows(IllegalArgumentException.class, () -> TokenVerifier.trusting(new AuthSettings(
                URI.create("http://unused.test/jwks.json"), TestIssuer.ISSUER, Optional.empty()), "{", clock));
    }
}
