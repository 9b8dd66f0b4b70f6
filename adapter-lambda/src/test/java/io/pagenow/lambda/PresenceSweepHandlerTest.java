package io.pagenow.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import io.pagenow.lambda.LambdaWorld.Push;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.pagenow.lambda.LambdaWorld.connectionId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The sweep handler, fed EventBridge's scheduled event. */
class PresenceSweepHandlerTest {

    private LambdaWorld world;

    @BeforeEach
    void start() throws Exception {
        world = new LambdaWorld();
    }

    @AfterEach
    void stop() {
        world.close();
    }

    @Test
    void theScheduledSweepTakesSilentUsersOfflineAndTellsTheirFriendsThroughThePresenceApi() {
        String alice = connectionId();
        String bob = connectionId();
        world.presence.handleRequest(Events.connect(alice, world.token("alice")), null);
        world.presence.handleRequest(Events.connect(bob, world.token("bob")), null);
        world.clock.advance(Duration.ofMinutes(2));
        world.presence.handleRequest(Events.message(bob, "heartbeat", "{\"action\": \"heartbeat\"}"), null);
        world.clock.advance(Duration.ofMinutes(2));
        world.pushes();

        // Alice was silent for 4 minutes, bob for 2: the timeout is 3.
        assertEquals(1, world.sweep.handleRequest(Events.scheduled(), null));

        List<Push> pushes = world.pushes();
        assertEquals(1, pushes.size(), pushes.toString());
        assertEquals("presence", pushes.get(0).api());
        assertEquals(bob, pushes.get(0).connectionId());
        assertEquals("presence-timeout", pushes.get(0).type());
        assertEquals("alice", pushes.get(0).frame().path("userId").asText());
        JsonNode seenByBob = LambdaWorld.json(world.rest.handleRequest(Events.rest("GET", "/presence")
                .token(world.token("bob")).json(), null).getBody());
        for (JsonNode friend : seenByBob.path("presenceArr")) {
            if (friend.path("userId").asText().equals("alice")) {
                assertFalse(friend.path("online").asBoolean());
                assertTrue(friend.path("page").isNull());
            }
        }
        assertEquals(0, world.sweep.handleRequest(Events.scheduled(), null), "nobody is taken offline twice");
    }
}
