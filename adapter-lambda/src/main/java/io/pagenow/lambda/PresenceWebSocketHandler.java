package io.pagenow.lambda;

import io.pagenow.core.delivery.Channel;

/** The presence WebSocket API: {@code $connect}, {@code $disconnect}, {@code heartbeat}, {@code update-presence}, {@code $default}. */
public final class PresenceWebSocketHandler extends WebSocketHandler {

    /** The constructor the Lambda runtime calls, once per container. */
    public PresenceWebSocketHandler() {
        this(LambdaContainer.instance());
    }

    PresenceWebSocketHandler(LambdaContainer container) {
        super(Channel.PRESENCE, container);
    }
}
