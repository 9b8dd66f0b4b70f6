package io.pagenow.lambda;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import io.pagenow.core.delivery.Channel;
import io.pagenow.core.delivery.Connection;
import io.pagenow.lambda.LambdaWorld.Push;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static io.pagenow.lambda.LambdaWorld.connectionId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The chat and presence WebSocket handlers, fed API Gateway's $connect, $disconnect and message events. */
class WebSocketHandlerTest {

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
    void connectWithAValidTokenRegistersTheConnectionForLaterFrames() {
        String id = connectionId();

        APIGatewayV2WebSocketResponse response = world.chat.handleRequest(Events.connect(id, world.token("alice")), null);

        assertEquals(200, response.getStatusCode());
        assertEquals(Optional.of(new Connection(id, "alice", Channel.CHAT, "apigw")), world.container.registry().find(id));
    }

    @Test
    void connectWithoutAGoodTokenIsRefusedWith401AndRegistersNothing() throws Exception {
        for (String token : new String[] {null, "", "not.a.jwt", world.issuer.expiredToken("alice"),
                world.issuer.foreignToken("alice")}) {
            String id = connectionId();
            assertEquals(401, world.presence.handleRequest(Events.connect(id, token), null).getStatusCode(),
                    String.valueOf(token));
            assertEquals(Optional.empty(), world.container.registry().find(id));
        }
        assertEquals(List.of(), world.pushes());
    }

    @Test
    void presenceConnectTellsOnlineFriendsButPostsNothingToTheConnectionStillOpening() {
        String bob = connectionId();
        String alice = connectionId();
        world.presence.handleRequest(Events.connect(bob, world.token("bob")), null);
        world.pushes();

        assertEquals(200, world.presence.handleRequest(Events.connect(alice, world.token("alice")), null).getStatusCode());

        List<Push> pushes = world.pushes();
        // API Gateway answers 410 for a connection whose $connect has not returned: posting would unregister it.
        assertEquals(1, pushes.size(), pushes.toString());
        Push push = pushes.get(0);
        assertEquals("presence", push.api());
        assertEquals(bob, push.connectionId());
        assertEquals("update-presence", push.type());
        assertEquals("alice", push.frame().path("userId").asText());
        assertTrue(world.container.registry().find(alice).isPresent());
    }

    @Test
    void theLastPresenceDisconnectTakesTheUserOfflineAndTellsFriends() {
        String bob = connectionId();
        String aliceTab = connectionId();
        String alicePhone = connectionId();
        world.presence.handleRequest(Events.connect(bob, world.token("bob")), null);
        world.presence.handleRequest(Events.connect(aliceTab, world.token("alice")), null);
        world.presence.handleRequest(Events.connect(alicePhone, world.token("alice")), null);
        world.pushes();

        assertEquals(200, world.presence.handleRequest(Events.disconnect(aliceTab), null).getStatusCode());
        assertEquals(List.of(), world.pushes(), "alice still has her phone");
        assertEquals(Optional.empty(), world.container.registry().find(aliceTab));

        world.presence.handleRequest(Events.disconnect(alicePhone), null);
        List<Push> pushes = world.pushes();
        assertEquals(1, pushes.size(), pushes.toString());
        assertEquals(bob, pushes.get(0).connectionId());
        assertEquals("presence-timeout", pushes.get(0).type());
        assertEquals("alice", pushes.get(0).frame().path("userId").asText());
    }

    @Test
    void badFramesAreAnsweredWithAnErrorEventToTheSenderAndTheSocketStays() {
        String alice = connectionId();
        String bob = connectionId();
        world.chat.handleRequest(Events.connect(alice, world.token("alice")), null);
        world.chat.handleRequest(Events.connect(bob, world.token("bob")), null);

        world.chat.handleRequest(Events.message(alice, "$default", "{\"action\": \"dance\"}"), null);
        world.chat.handleRequest(Events.message(alice, "$default", "{not json"), null);
        world.chat.handleRequest(Events.message(alice, "send-message",
                "{\"action\": \"send-message\", \"tempMessageId\": \"t-1\", \"conversationId\": \"x\", \"content\": \"hi\"}"),
                null);
        // On the chat socket, update-presence is no action: it falls to $default.
        world.chat.handleRequest(Events.message(alice, "$default", "{\"action\": \"update-presence\"}"), null);

        List<Push> pushes = world.pushes();
        assertEquals(4, pushes.size(), pushes.toString());
        for (Push push : pushes) {
            assertEquals("chat", push.api());
            assertEquals(alice, push.connectionId(), "only the sender hears of its error");
            assertEquals("error", push.type());
            assertEquals(400, push.frame().path("code").asInt());
        }
        assertEquals("dance", pushes.get(0).frame().path("action").asText());
        assertFalse(pushes.get(1).frame().has("action"));
        assertEquals("t-1", pushes.get(2).frame().path("tempMessageId").asText());
        assertTrue(pushes.get(2).frame().path("message").asText().contains("conversationId"));
        assertTrue(world.container.registry().find(alice).isPresent(), "the socket stays");
    }

    @Test
    void aFrameOnAConnectionTheRegistryDoesNotKnowIsAnsweredAndTheConnectionClosed() {
        String stranger = connectionId();

        world.presence.handleRequest(Events.message(stranger, "heartbeat", "{\"action\": \"heartbeat\"}"), null);

        List<Push> pushes = world.pushes();
        assertEquals(List.of("POST", "DELETE"), pushes.stream().map(Push::method).toList());
        assertEquals(401, pushes.get(0).frame().path("code").asInt());
        assertTrue(pushes.stream().allMatch(p -> p.connectionId().equals(stranger) && p.api().equals("presence")));
    }

    @Test
    void aFrameOver64KiBClosesTheConnection() {
        String alice = connectionId();
        world.chat.handleRequest(Events.connect(alice, world.token("alice")), null);

        world.chat.handleRequest(Events.message(alice, "send-message",
                "{\"action\": \"send-message\", \"content\": \"" + "x".repeat(66_000) + "\"}"), null);

        List<Push> pushes = world.pushes();
        assertEquals(1, pushes.size(), pushes.toString());
        assertEquals("DELETE", pushes.get(0).method());
        assertEquals(alice, pushes.get(0).connectionId());
    }

    @Test
    void aConnectionTheGatewayReportsGoneIsForgottenAndTheMessageIsKept() {
        String alice = connectionId();
        String bob = connectionId();
        world.chat.handleRequest(Events.connect(alice, world.token("alice")), null);
        world.chat.handleRequest(Events.connect(bob, world.token("bob")), null);
        String conversation = LambdaWorld.json(world.rest.handleRequest(Events.rest("POST", "/conversation")
                .token(world.token("alice")).body("{\"recipientIdArr\": [\"bob\"], \"isGroup\": false}").json(), null)
                .getBody()).path("conversationId").asText();
        world.managementApi.answer(bob, ManagementApiStub.Answer.GONE_TYPED);

        world.chat.handleRequest(Events.message(alice, "send-message", "{\"action\": \"send-message\", \"tempMessageId\":"
                + " \"t-1\", \"conversationId\": \"" + conversation + "\", \"content\": \"are you there?\"}"), null);

        assertEquals(Optional.empty(), world.container.registry().find(bob));
        assertTrue(world.container.registry().find(alice).isPresent());
        String stored = world.rest.handleRequest(Events.rest("GET", "/conversations/{conversationId}/messages")
                .path("/conversations/" + conversation + "/messages").token(world.token("bob")).json(), null).getBody();
        assertEquals("are you there?", LambdaWorld.json(stored).path(0).path("content").asText());
    }
}
