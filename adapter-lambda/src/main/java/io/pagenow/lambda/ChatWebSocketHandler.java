package io.pagenow.lambda;

import io.pagenow.core.delivery.Channel;

/** The chat WebSocket API: {@code $connect}, {@code $disconnect}, {@code heartbeat}, {@code send-message}, {@code read-messages}, {@code $default}. */
public final class ChatWebSocketHandler extends WebSocketHandler {

    /** The constructor the Lambda runtime calls, once per container. */
    public ChatWebSocketHandler() {
        this(LambdaContainer.instance());
    }

    ChatWebSocketHandler(LambdaContainer container) {
        super(Channel.CHAT, container);
    }
}
