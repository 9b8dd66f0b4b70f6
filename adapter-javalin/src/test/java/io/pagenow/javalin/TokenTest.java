package io.pagenow.javalin;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import static io.pagenow.javalin.TestServer.error;
import static io.pagenow.javalin.TestServer.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A server configured with a real issuer (a JWKS endpoint on loopback, as Cognito publishes one):
 * only good tokens open REST and WebSockets, and the development routes do not exist.
 */
class TokenTest {

    private static final String ISSUER = "https://cognito-idp.test.example/pool-1";
    private static HttpServer jwks;
    private static RSAKey key;
    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        key = newKey("kid-1");
        jwks = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        jwks.createContext("/pool-1/.well-known/jwks.json", exchange -> {
            byte[] body = new JWKSet(key.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        jwks.start();
        server = TestServer.start(Map.of(
                "AUTH_JWKS_URL", "http://127.0.0.1:" + jwks.getAddress().getPort() + "/pool-1/.well-known/jwks.json",
                "AUTH_ISSUER", ISSUER,
                "AUTH_AUDIENCE", "web-client",
                "HOST", "127.0.0.1"), TestServer.demoStores());
    }

    @AfterAll
    static void stop() {
        server.close();
        jwks.stop(0);
    }

    private static RSAKey newKey(String kid) throws JOSEException {
        return new RSAKeyGenerator(2048).keyID(kid).generate();
    }

    private static JWTClaimsSet.Builder claims(String userId) {
        Instant now = server.clock.instant();
        return new JWTClaimsSet.Builder().issuer(ISSUER).subject("sub-" + userId).audience("web-client")
                .claim("cognito:username", userId).claim("token_use", "id")
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plus(Duration.ofHours(1))));
    }

    private static String signed(JWTClaimsSet.Builder claims, RSAKey signingKey) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(signingKey.getKeyID())
                    .build(), claims.build());
            jwt.sign(new RSASSASigner(signingKey));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String good(String userId) {
        return signed(claims(userId), key);
    }

    static Stream<Arguments> badTokens() {
        Function<String, String> wrongSignature = user -> {
            try {
                return signed(claims(user), newKey("kid-1"));
            } catch (JOSEException e) {
                throw new IllegalStateException(e);
            }
        };
        Function<String, String> expired = user -> signed(claims(user)
                .expirationTime(Date.from(server.clock.instant().minus(Duration.ofMinutes(5)))), key);
        Function<String, String> wrongIssuer = user -> signed(claims(user).issuer("https://evil.example/pool"), key);
        Function<String, String> algNone = user -> new PlainJWT(claims(user).build()).serialize();
        Function<String, String> hmacWithPublicKey = user -> {
            try {
                SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("kid-1").build(),
                        claims(user).build());
                jwt.sign(new MACSigner(key.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8)));
                return jwt.serialize();
            } catch (JOSEException e) {
                throw new IllegalStateException(e);
            }
        };
        Function<String, String> unknownKid = user -> {
            try {
                return signed(claims(user), newKey("kid-unknown"));
            } catch (JOSEException e) {
                throw new IllegalStateException(e);
            }
        };
        Function<String, String> wrongTokenUse = user -> signed(claims(user).claim("token_use", "refresh"), key);
        Function<String, String> wrongAudience = user -> signed(claims(user).audience("other-client"), key);
        Function<String, String> garbage = user -> "not.a.jwt";
        return Stream.of(
                Arguments.of("wrong signature", wrongSignature),
                Arguments.of("expired", expired),
                Arguments.of("wrong issuer", wrongIssuer),
                Arguments.of("alg none", algNone),
                Arguments.of("HMAC signed with the public key", hmacWithPublicKey),
                Arguments.of("unknown kid", unknownKid),
                Arguments.of("wrong token_use", wrongTokenUse),
                Arguments.of("wrong audience", wrongAudience),
                Arguments.of("garbage", garbage));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badTokens")
    void aBadTokenIsRefusedOnRestAndWebSockets(String name, Function<String, String> token) {
        String bad = token.apply("alice");
        error(401, server.get("/conversations", bad));
        error(401, server.get("/presence", "Bearer " + bad));
        assertEquals(401, server.refusedUpgrade("/chat", bad));
        assertEquals(401, server.refusedUpgrade("/presence", bad));
    }

    @Test
    void aMissingTokenIsRefused() {
        assertEquals("Missing token", error(401, server.get("/conversations", null)));
        assertEquals(401, server.refusedUpgrade("/chat", null));
        assertEquals(401, server.refusedUpgrade("/presence", null));
    }

    @Test
    void aGoodTokenOpensRestAndBothSockets() {
        String alice = good("alice");
        ok(server.get("/conversations", alice));
        ok(server.get("/conversations", "Bearer " + alice));
        TestSocket chat = server.connect("/chat", alice);
        TestSocket presence = server.connect("/presence", alice);
        assertEquals("update-presence", presence.next().get("type").asText(), "connecting made alice online");
        assertEquals(java.util.List.of(), chat.drain());
    }

    @Test
    void anAccessTokenNamesTheUserByUsername() {
        String access = signed(claims("ignored").claim("cognito:username", null).claim("username", "bob")
                .claim("token_use", "access").audience((String) null).claim("client_id", "web-client"), key);
        assertEquals("bob", ok(server.get("/presence", access)).get("userPresence").get("userId").asText());
    }

    @Test
    void theDevelopmentRoutesDoNotExistWithARealIssuer() {
        assertEquals(404, server.post("/dev/token", null, "{\"userId\":\"alice\"}").statusCode());
        assertEquals(404, server.get("/dev/jwks.json", null).statusCode());
    }
}
