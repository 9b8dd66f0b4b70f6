package io.pagenow.bench.jmh;

import io.pagenow.core.delivery.port.out.ClientPush;
import io.pagenow.core.delivery.Connection;
import io.pagenow.core.delivery.Event;
import io.pagenow.protocol.EventJson;

import java.util.List;
import java.util.Set;

/**
 * The push the server does, minus the socket write: the event encoded once, then handed to each
 * target. The sink keeps the JIT from dropping the work.
 */
final class CountingPush implements ClientPush {

    long frames;
    long bytes;

    @Override
    public Set<String> push(List<Connection> targets, Event event) {
        String text = EventJson.encode(event);
        for (Connection ignored : targets) {
            frames++;
            bytes += text.length();
        }
        return Set.of();
    }
}
