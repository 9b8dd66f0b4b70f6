package io.pagenow.lambda;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.pagenow.lambda.LambdaWorld.connectionId;
import static io.pagenow.lambda.LambdaWorld.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The abuse limits of docs/protocol.md through the Lambda handlers, on PostgreSQL as the user
 * directory: the same assembly as the server's, so the same group size and known-user checks.
 */
class LambdaLimitsTest {

    private LambdaWorld world;

    @BeforeEach
    void start() throws Exception {
        world = new LambdaWorld(Map.of("GROUP_MAX_PARTICIPANTS", "3"));
    }

    @AfterEach
    void stop() {
        world.close();
    }

    private APIGatewayProxyResponseEvent create(String caller, String recipients) {
        return world.rest.handleRequest(Events.rest("POST", "/conversation").token(world.token(caller))
                .body("{\"recipientIdArr\": [" + recipients + "], \"isGroup\": true, \"title\": \"Team\"}").json(), null);
    }

    private int conversationsOf(String user) {
        return json(world.rest.handleRequest(Events.rest("GET", "/conversations").token(world.token(user)).json(),
                null).getBody()).size();
    }

    @Test
    void aGroupOverGroupMaxParticipantsIsRefusedAndNothingIsCreated() {
        APIGatewayProxyResponseEvent response = create("alice", "\"bob\", \"carol\", \"dave\"");

        assertEquals(400, response.getStatusCode(), response.getBody());
        assertTrue(json(response.getBody()).path("error").asText().contains("recipientIdArr"), response.getBody());
        assertEquals(0, conversationsOf("alice"));
        assertEquals(200, create("alice", "\"bob\", \"carol\"").getStatusCode());
    }

    @Test
    void anUnknownParticipantIs404AndNothingIsCreated() {
        APIGatewayProxyResponseEvent response = create("alice", "\"bob\", \"mallory\"");

        assertEquals(404, response.getStatusCode(), response.getBody());
        assertEquals("Unknown users in 'recipientIdArr': mallory", json(response.getBody()).path("error").asText());
        assertEquals(0, conversationsOf("alice"));
    }

    @Test
    void anUnknownCallerIs403OnRestAndOnBothUpgrades() {
        APIGatewayProxyResponseEvent rest = world.rest.handleRequest(Events.rest("GET", "/conversations")
                .token(world.token("mallory")).json(), null);

        assertEquals(403, rest.getStatusCode(), rest.getBody());
        assertEquals("User mallory is not known to the user directory", json(rest.getBody()).path("error").asText());
        assertEquals(403, world.chat.handleRequest(Events.connect(connectionId(), world.token("mallory")), null)
                .getStatusCode());
        assertEquals(403, world.presence.handleRequest(Events.connect(connectionId(), world.token("mallory")), null)
                .getStatusCode());
        assertEquals(200, world.chat.handleRequest(Events.connect(connectionId(), world.token("alice")), null)
                .getStatusCode());
    }
}
