package io.pagenow.lambda;

import io.pagenow.core.contract.ClientPushContract;
import io.pagenow.core.delivery.Channel;
import io.pagenow.core.delivery.Connection;
import io.pagenow.core.delivery.Event;
import io.pagenow.core.delivery.port.out.ClientPush;
import io.pagenow.protocol.EventJson;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The Management API push against the loopback stand-in of the API: a target is a connection id
 * the stub accepts, a closed one answers 410 Gone, a broken one 500.
 */
class ApiGatewayClientPushContractTest extends ClientPushContract {

    private ManagementApiStub stub;
    private ApiGatewayClientPush push;
    private final List<ManagementApiStub.Post> posts = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        stub = new ManagementApiStub();
        push = new ApiGatewayClientPush(new ManagementEndpoints(Map.of(
                Channel.CHAT, stub.endpoint("chat"), Channel.PRESENCE, stub.endpoint("presence"))),
                ManagementApiStub.api(), EventJson::encode);
    }

    @AfterEach
    void stop() {
        push.close();
        stub.close();
    }

    @Override
    protected ClientPush push() {
        return push;
    }

    @Override
    protected Connection open(String userId, Channel channel) {
        return new Connection(UUID.randomUUID() + "=", userId, channel, "api-gateway");
    }

    @Override
    protected void close(Connection target) {
        stub.answer(target.id(), ManagementApiStub.Answer.GONE_TYPED);
    }

    @Override
    protected Connection failing(String userId, Channel channel) {
        Connection target = open(userId, channel);
        stub.answer(target.id(), ManagementApiStub.Answer.SERVER_ERROR);
        return target;
    }

    @Override
    protected boolean received(Connection target, Event event, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            for (ManagementApiStub.Post post : posts) {
                if (post.connectionId().equals(target.id())) {
                    return post.body().equals(EventJson.encode(event));
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            List<ManagementApiStub.Post> next = stub.take(1, Duration.ofNanos(left));
            if (next.isEmpty()) {
                return false;
            }
            posts.addAll(next);
        }
    }
}
