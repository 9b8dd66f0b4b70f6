package io.pagenow.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import io.pagenow.core.delivery.Channel;
import io.pagenow.core.delivery.Connection;
import io.pagenow.protocol.EventJson;
import io.pagenow.protocol.Failure;
import io.pagenow.protocol.FrameOutcome;
import io.pagenow.protocol.SocketApi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * One WebSocket API (chat or presence) behind API Gateway: {@code $connect} authenticates the token
 * of the {@code Authorization} query parameter and registers the connection, {@code $disconnect}
 * forgets it, and every other route hands the frame to the protocol module's {@code SocketApi},
 * the dispatch the Javalin server runs. API Gateway authenticates only {@code $connect}, so a
 * later frame's user is the one the connection registry holds for its connection id.
 */
abstract class WebSocketHandler implements RequestHandler<APIGatewayV2WebSocketEvent, APIGatewayV2WebSocketResponse> {

    private static final Logger LOG = LoggerFactory.getLogger(WebSocketHandler.class);

    private final Channel channel;
    private final LambdaContainer container;

    WebSocketHandler(Channel channel, LambdaContainer container) {
        this.channel = channel;
        this.container = container;
        container.preparePushes();
    }

    @Override
    public APIGatewayV2WebSocketResponse handleRequest(APIGatewayV2WebSocketEvent event, Context context) {
        try {
            return handle(event);
        } finally {
            container.flushMetrics();
        }
    }

    private APIGatewayV2WebSocketResponse handle(APIGatewayV2WebSocketEvent event) {
        APIGatewayV2WebSocketEvent.RequestContext request = event.getRequestContext();
        if (request == null || request.getConnectionId() == null) {
            LOG.warn("{}: event without a connection id", channel);
            return status(400);
        }
        container.endpoints().learn(channel, request.getDomainName(), request.getStage());
        String connectionId = request.getConnectionId();
        String eventType = request.getEventType() == null ? "MESSAGE" : request.getEventType();
        return switch (eventType) {
            case "CONNECT" -> connect(connectionId, event.getQueryStringParameters());
            case "DISCONNECT" -> disconnect(connectionId);
            default -> frame(connectionId, event);
        };
    }

    /** Any answer but 2xx makes API Gateway refuse the upgrade: a bad token gets its 401. */
    private APIGatewayV2WebSocketResponse connect(String connectionId, Map<String, String> query) {
        try {
            String userId = container.callers().authenticate(query == null ? null : query.get("Authorization"));
            Connection connection = new Connection(connectionId, userId, channel, LambdaContainer.NODE_ID);
            container.push().whileConnecting(connectionId, () -> container.sockets().open(connection));
            LOG.info("{} $connect -> 200", channel);
            return status(200);
        } catch (RuntimeException e) {
            Failure failure = Failure.of(e);
            LOG.info("{} $connect -> {}", channel, failure.status());
            return status(failure.status());
        }
    }

    private APIGatewayV2WebSocketResponse disconnect(String connectionId) {
        container.forgetBucket(connectionId);
        try {
            container.sockets().close(channel, connectionId);
        } catch (RuntimeException e) {
            // Left registered, it answers 410 to the next push and is forgotten then.
            LOG.warn("{} $disconnect -> {}", channel, Failure.of(e).status());
        }
        return status(200);
    }

    private APIGatewayV2WebSocketResponse frame(String connectionId, APIGatewayV2WebSocketEvent event) {
        String frame = text(event);
        if (frame.getBytes(StandardCharsets.UTF_8).length > SocketApi.MAX_FRAME_BYTES) {
            // The server would close with 1009; through API Gateway, closing is all there is.
            LOG.info("{} frame over {} bytes: closing the connection", channel, SocketApi.MAX_FRAME_BYTES);
            container.push().disconnect(channel, connectionId);
            return status(200);
        }
        Optional<Connection> connection;
        try {
            connection = container.registry().find(connectionId);
        } catch (RuntimeException e) {
            Failure failure = Failure.of(e);
            container.push().reply(channel, connectionId,
                    EventJson.error(null, failure.status(), failure.message(), null));
            return status(200);
        }
        if (connection.isEmpty()) {
            // Forgotten (a push found it gone, or Redis lost it): the client must open a new one.
            container.push().reply(channel, connectionId,
                    EventJson.error(null, 401, "Unknown connection: reconnect", null));
            container.push().disconnect(channel, connectionId);
            LOG.info("{} frame on an unknown connection: closing it", channel);
            return status(200);
        }
        FrameOutcome outcome = container.sockets().handle(connection.get(), frame, container.bucketOf(connectionId));
        outcome.reply().ifPresent(reply -> container.push().reply(channel, connectionId, reply));
        LOG.info("{} {} -> {}", channel, outcome.action(), outcome.code());
        return status(200);
    }

    private static String text(APIGatewayV2WebSocketEvent event) {
        String body = event.getBody() == null ? "" : event.getBody();
        if (event.isIsBase64Encoded()) {
            try {
                return new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return body;
            }
        }
        return body;
    }

    private static APIGatewayV2WebSocketResponse status(int code) {
        APIGatewayV2WebSocketResponse response = new APIGatewayV2WebSocketResponse();
        response.setStatusCode(code);
        return response;
    }
}
