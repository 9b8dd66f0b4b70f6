package io.pagenow.javalin;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.pagenow.javalin.TestServer.error;
import static io.pagenow.javalin.TestServer.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The embedded default: a local issuer whose tokens go through the production verifier. */
class DevModeTest {

    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void issuesAnIdTokenShapedLikeCognitosSignedByThePublishedKey() throws Exception {
        String token = server.token("alice");
        SignedJWT jwt = SignedJWT.parse(token);
        assertEquals("RS256", jwt.getHeader().getAlgorithm().getName());
        assertEquals("alice", jwt.getJWTClaimsSet().getStringClaim("cognito:username"));
        assertEquals("id", jwt.getJWTClaimsSet().getStringClaim("token_use"));
        assertEquals("http://localhost:" + server.server.port() + "/dev", jwt.getJWTClaimsSet().getIssuer());
        assertEquals(Duration.ofHours(1), Duration.between(jwt.getJWTClaimsSet().getIssueTime().toInstant(),
                jwt.getJWTClaimsSet().getExpirationTime().toInstant()));
        JWKSet keys = JWKSet.parse(ok(server.get("/dev/jwks.json", null)).toString());
        assertEquals(jwt.getHeader().getKeyID(), keys.getKeys().get(0).getKeyID());
        assertFalse(keys.getKeys().get(0).isPrivate(), "only the public key is published");
    }

    @Test
    void aDevelopmentTokenOpensRestAndBothSockets() {
        String token = server.token("bob");
        assertEquals("bob", ok(server.get("/presence", token)).get("userPresence").get("userId").asText());
        TestSocket chat = server.connect("/chat", token);
        TestSocket presence = server.connect("/presence", token);
        JsonNode online = presence.next("update-presence");
        assertEquals("bob", online.get("userId").asText());
        assertEquals(java.util.List.of(), chat.drain());
    }

    @Test
    void tokenRequestsAreChecked() {
        assertTrue(error(400, server.post("/dev/token", null, "{}")).contains("'userId'"));
        assertTrue(error(400, server.post("/dev/token", null, "{\"userId\":42}")).contains("'userId'"));
        assertTrue(error(400, server.post("/dev/token", null, "{\"userId\":\"" + "x".repeat(129) + "\"}"))
                .contains("'userId'"));
        assertTrue(error(400, server.post("/dev/token", null, "alice")).contains("Malformed JSON"));
    }

    @Test
    void theFirstAuthenticatedRequestsAfterStartNeedNoFetchOfTheServersOwnKeys() {
        try (TestServer own = TestServer.start()) {
            String token = own.token("alice");
            TestSocket chat = own.connect("/chat", token);
            assertEquals(List.of(), chat.drain());
            ok(own.get("/conversations", token));
            String metrics = own.get("/metrics", null).body();
            assertTrue(metrics.contains("route=\"/conversations\""), metrics);
            assertFalse(metrics.contains("route=\"/dev/jwks.json\""), "the keys were fetched over HTTP: " + metrics);
        }
    }

    @Test
    void aDevelopmentTokenExpiresAfterAnHour() {
        try (TestServer own = TestServer.start()) {
            String token = own.token("carol");
            ok(own.get("/conversations", token));
            own.clock.advance(Duration.ofHours(1).plusMinutes(2));
            error(401, own.get("/conversations", token));
            assertEquals(401, own.refusedUpgrade("/chat", token));
        }
    }
}
