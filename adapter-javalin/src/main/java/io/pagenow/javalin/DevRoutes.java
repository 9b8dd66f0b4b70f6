package io.pagenow.javalin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.jwk.RSAKey;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.pagenow.core.error.InvalidInputException;
import io.pagenow.protocol.AuthSettings;
import io.pagenow.protocol.Authenticator;
import io.pagenow.protocol.NotReadyException;
import io.pagenow.protocol.TokenVerifier;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.util.Optional;

/**
 * Development mode's own token issuer: {@code GET /dev/jwks.json} and {@code POST /dev/token},
 * and the verifier that trusts its key. The issuer's URL holds the port, so it exists from the
 * start on; a request before that is answered 503.
 */
final class DevRoutes {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final RSAKey key = DevIssuer.newKey();
    private final Clock clock;
    private volatile DevIssuer issuer;

    DevRoutes(Clock clock) {
        this.clock = clock;
    }

    void register(JavalinConfig javalin) {
        javalin.routes.get("/dev/jwks.json", this::jwks);
        javalin.routes.post("/dev/token", this::token);
    }

    /** Once the port is known: builds the issuer and returns the verifier of its tokens. */
    Authenticator start(String loopbackHost, int port) {
        DevIssuer started = new DevIssuer(key, "http://localhost:" + port + "/dev", clock);
        URI jwks = URI.create("http://" + loopbackHost + ":" + port + "/dev/jwks.json");
        // The keys are this process's own: given, not fetched over HTTP from itself, which a
        // burst of upgrades on a cold start starved of threads until every upgrade failed.
        Authenticator verifier = TokenVerifier.trusting(new AuthSettings(jwks, started.issuer(), Optional.empty()),
                started.jwksJson(), clock);
        issuer = started;
        return verifier;
    }

    private void jwks(Context ctx) {
        RestBridge.json(ctx, "/dev/jwks.json", 200, issuer().jwksJson());
    }

    private void token(Context ctx) throws IOException {
        ctx.attribute(RestBridge.ROUTE, "/dev/token");
        String body = RestBridge.boundedBody(ctx);
        JsonNode request;
        try {
            request = body == null ? null : MAPPER.readTree(body);
        } catch (IOException e) {
            throw new InvalidInputException("Malformed JSON body: expected {\"userId\": \"alice\"}");
        }
        JsonNode userId = request == null ? null : request.get("userId");
        if (userId == null || !userId.isTextual() || userId.textValue().isEmpty()
                || userId.textValue().length() > 128) {
            throw new InvalidInputException("'userId' must be a string of 1 to 128 characters");
        }
        ObjectNode answer = MAPPER.createObjectNode();
        answer.put("token", issuer().idToken(userId.textValue()));
        RestBridge.json(ctx, "/dev/token", 200, answer.toString());
    }

    private DevIssuer issuer() {
        DevIssuer current = issuer;
        if (current == null) {
            throw new NotReadyException("development token issuer (starting)");
        }
        return current;
    }
}
