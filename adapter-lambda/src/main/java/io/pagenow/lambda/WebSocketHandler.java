package io.pagenow.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.pagenow.core.delivery.Channel;
import io.pagenow.core.delivery.Connection;
import io.pagenow.protocol.EventJson;
import io.pagenow.protocol.Failure;
import io.pagenow.protocol.FrameOutcome;
import io.pagenow.protocol.SocketApi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * One WebSocket API (chat or presence) behind API Gateway: {@code $connect} authenticates the token
 * of the {@code Authorization} query parameter and registers the connection, {@code $disconnect}
 * forgets it, and every other route hands the frame to the protocol module's {@code SocketApi},
 * the dispatch the Javalin server runs. API Gateway authenticates only {@code $connect}, so a
 * later frame's user is the one the connection registry holds for its connection id.
 */
abstract class WebSocketHandler implements RequestStreamHandler {

    private static final Logger LOG = LoggerFactory.getLogger(WebSocketHandler.class);

    private static final String PRIMING_ID = "priming";
    private static final byte[] PRIMING_CONNECT = ("{\"requestContext\": {\"eventType\": \"CONNECT\", \"connectionId\": \""
            + PRIMING_ID + "\"}, \"queryStringParameters\": {\"Authorization\": \"" + Priming.TOKEN
            + "\"}, \"isBase64Encoded\": false}").getBytes(StandardCharsets.UTF_8);
    /** Parsed, then refused for its conversation id before the chat is called. */
    private static final String PRIMING_FRAME = "{\"action\": \"send-message\", \"tempMessageId\": \"priming\","
            + " \"conversationId\": \"priming\", \"content\": \"\"}";

    private final Channel channel;
    private final LambdaContainer container;

    WebSocketHandler(Channel channel, LambdaContainer container) {
        this.channel = channel;
        this.container = container;
        container.preparePushes();
        container.priming().register(getClass(), this::prime);
    }

    /**
     * Before a SnapStart snapshot: a {@code $connect} whose token the verifier refuses (after
     * fetching the issuer's keys) through this handler, and a frame the protocol refuses before
     * dispatching it; neither asks a store or pushes.
     */
    private void prime() throws IOException {
        handleRequest(new ByteArrayInputStream(PRIMING_CONNECT), OutputStream.nullOutputStream(), null);
        container.sockets().handle(new Connection(PRIMING_ID, PRIMING_ID, channel, LambdaContainer.NODE_ID),
                PRIMING_FRAME, container.buckets().of(PRIMING_ID));
    }

    /** Reads an {@code APIGatewayV2WebSocketEvent}'s JSON, writes an {@code APIGatewayV2WebSocketResponse}'s. */
    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        try {
            ApiGatewayJson.writeStatus(output, handle(WebSocketEvent.read(input)));
        } finally {
            container.metrics().flush();
        }
    }

    private int handle(WebSocketEvent event) {
        if (event.connectionId() == null) {
            LOG.warn("{}: event without a connection id", channel);
            return 400;
        }
        container.endpoints().learn(channel, event.domainName(), event.stage());
        String connectionId = event.connectionId();
        return switch (event.eventType()) {
            case "CONNECT" -> connect(connectionId, event.query().get("Authorization"));
            case "DISCONNECT" -> disconnect(connectionId);
            default -> frame(connectionId, event.body());
        };
    }

    /** Any answer but 2xx makes API Gateway refuse the upgrade: a bad token gets its 401. */
    private int connect(String connectionId, String token) {
        try {
            String userId = container.callers().authenticate(token);
            Connection connection = new Connection(connectionId, userId, channel, LambdaContainer.NODE_ID);
            container.push().whileConnecting(connectionId, () -> container.sockets().open(connection));
            LOG.info("{} $connect -> 200", channel);
            return 200;
        } catch (RuntimeException e) {
            Failure failure = Failure.of(e);
            LOG.info("{} $connect -> {}", channel, failure.status());
            return failure.status();
        }
    }

    private int disconnect(String connectionId) {
        container.buckets().forget(connectionId);
        try {
            container.sockets().close(channel, connectionId);
        } catch (RuntimeException e) {
            // Left registered, it answers 410 to the next push and is forgotten then.
            LOG.warn("{} $disconnect -> {}", channel, Failure.of(e).status());
        }
        return 200;
    }

    private int frame(String connectionId, String frame) {
        if (frame.getBytes(StandardCharsets.UTF_8).length > SocketApi.MAX_FRAME_BYTES) {
            // The server would close with 1009; through API Gateway, closing is all there is.
            LOG.info("{} frame over {} bytes: closing the connection", channel, SocketApi.MAX_FRAME_BYTES);
            container.push().disconnect(channel, connectionId);
            return 200;
        }
        Optional<Connection> connection;
        try {
            connection = container.registry().find(connectionId);
        } catch (RuntimeException e) {
            Failure failure = Failure.of(e);
            container.push().reply(channel, connectionId,
                    EventJson.error(null, failure.status(), failure.message(), null));
            return 200;
        }
        if (connection.isEmpty()) {
            // Forgotten (a push found it gone, or Redis lost it): the client must open a new one.
            container.push().reply(channel, connectionId,
                    EventJson.error(null, 401, "Unknown connection: reconnect", null));
            container.push().disconnect(channel, connectionId);
            LOG.info("{} frame on an unknown connection: closing it", channel);
            return 200;
        }
        FrameOutcome outcome = container.sockets().handle(connection.get(), frame, container.buckets().of(connectionId));
        outcome.reply().ifPresent(reply -> container.push().reply(channel, connectionId, reply));
        LOG.info("{} {} -> {}", channel, outcome.action(), outcome.code());
        return 200;
    }
}
