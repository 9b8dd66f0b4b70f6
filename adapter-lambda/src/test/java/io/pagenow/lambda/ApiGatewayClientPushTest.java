package io.pagenow.lambda;

import io.pagenow.core.delivery.Channel;
import io.pagenow.core.delivery.Connection;
import io.pagenow.core.delivery.Deliveries;
import io.pagenow.core.delivery.Event;
import io.pagenow.core.memory.InMemoryConnectionRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ApiGatewayClientPushTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final Event TIMEOUT = new Event.PresenceTimeout("alice");
    private static final Function<Event, String> ENCODER = event -> "{\"type\":\"presence-timeout\",\"userId\":\""
            + ((Event.PresenceTimeout) event).userId() + "\"}";

    private ManagementApiStub stub;
    private ApiGatewayClientPush push;

    @BeforeEach
    void start() throws Exception {
        stub = new ManagementApiStub();
        push = new ApiGatewayClientPush(new ManagementEndpoints(Map.of(Channel.PRESENCE, stub.endpoint("dev"))),
                ManagementApiStub.api(), ENCODER);
    }

    @AfterEach
    void stop() {
        push.close();
        stub.close();
    }

    @Test
    void postsTheEncodedEventToEachConnectionSignedWithSigV4() throws Exception {
        Set<String> gone = push.push(List.of(presence("L0SM9cOFvHcCIhw="), presence("Xk2abcdEFgh0=")), TIMEOUT);

        assertEquals(Set.of(), gone);
        List<ManagementApiStub.Post> posts = stub.take(2, WAIT);
        posts.sort(Comparator.comparing(ManagementApiStub.Post::connectionId));
        assertEquals(List.of("L0SM9cOFvHcCIhw=", "Xk2abcdEFgh0="),
                posts.stream().map(ManagementApiStub.Post::connectionId).toList());
        for (ManagementApiStub.Post post : posts) {
            assertEquals("POST", post.method());
            assertEquals("dev", post.stage());
            assertEquals("{\"type\":\"presence-timeout\",\"userId\":\"alice\"}", post.body());
            assertTrue(post.authorization().startsWith("AWS4-HMAC-SHA256 Credential=AKIDLAMBDATEST/"),
                    post.authorization());
            assertTrue(post.authorization().contains("/eu-west-1/execute-api/aws4_request"), post.authorization());
            assertTrue(post.amzDate() != null && post.amzDate().matches("\\d{8}T\\d{6}Z"), post.amzDate());
            assertEquals(Optional.empty(), post.refusal(), "the signature holds as sent");
        }
        assertEquals(2, push.delivered());
    }

    @Test
    void goneWithOrWithoutTheTypeHeaderIsReportedGoneAndOtherFailuresAreCounted() throws Exception {
        stub.answer("typed=", ManagementApiStub.Answer.GONE_TYPED);
        stub.answer("untyped=", ManagementApiStub.Answer.GONE_UNTYPED);
        stub.answer("broken=", ManagementApiStub.Answer.SERVER_ERROR);

        Set<String> gone = push.push(
                List.of(presence("typed="), presence("untyped="), presence("broken="), presence("fine=")), TIMEOUT);

        assertEquals(Set.of("typed=", "untyped="), gone);
        assertEquals(1, push.failed());
        assertEquals(1, push.delivered());
        assertEquals(2, push.gone());
        // One retry for the 500, no retry for a 410.
        List<ManagementApiStub.Post> posts = stub.take(5, WAIT);
        assertEquals(2, posts.stream().filter(p -> p.connectionId().equals("broken=")).count());
        assertEquals(1, posts.stream().filter(p -> p.connectionId().equals("typed=")).count());
        assertEquals(1, posts.stream().filter(p -> p.connectionId().equals("fine=")).count());
    }

    @Test
    void deliveriesForgetsAConnectionTheGatewayReportsGone() throws Exception {
        InMemoryConnectionRegistry registry = new InMemoryConnectionRegistry();
        registry.register(presence("stale="));
        registry.register(presence("live="));
        stub.answer("stale=", ManagementApiStub.Answer.GONE_UNTYPED);

        new Deliveries(registry, push).toUsers(List.of("alice"), TIMEOUT);

        assertEquals(List.of("live="), registry.connectionsOf(List.of("alice"), Channel.PRESENCE).stream()
                .map(Connection::id).toList());
        assertEquals(2, stub.take(2, WAIT).size());
    }

    @Test
    void aConnectionStillConnectingIsNeitherPostedToNorReportedGone() throws Exception {
        Set<String>[] gone = new Set[1];
        push.whileConnecting("opening=", () -> gone[0] = push.push(List.of(presence("opening=")), TIMEOUT));

        assertEquals(Set.of(), gone[0]);
        // Pushes are synchronous: whatever was posted has been recorded by now.
        assertEquals(List.of(), stub.drain());

        push.push(List.of(presence("opening=")), TIMEOUT);
        assertEquals("opening=", stub.next(WAIT).connectionId());
    }

    @Test
    void withoutAnEndpointNothingIsPostedAndTheFailureIsCounted() throws Exception {
        Set<String> gone = push.push(List.of(new Connection("c=", "alice", Channel.CHAT, "apigw")),
                new Event.MessagesRead(java.util.UUID.randomUUID(), "alice"));

        assertEquals(Set.of(), gone);
        assertEquals(1, push.failed());
        assertEquals(List.of(), stub.drain());
    }

    private static Connection presence(String id) {
        return new Connection(id, "alice", Channel.PRESENCE, "apigw");
    }
}
