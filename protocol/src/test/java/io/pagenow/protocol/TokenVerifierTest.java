package io.pagenow.protocol;

import com.nimbusds.jose.jwk.RSAKey;
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
        clock.advance(Duration.ofHours(1).plus(TokenVerifier.CLOCK_SKEW).minusSeconds(1));
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
}
