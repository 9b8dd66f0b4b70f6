package io.pagenow.example.embedded;

import io.pagenow.core.contract.ClientPushContract;
import io.pagenow.core.delivery.Channel;
import io.pagenow.core.delivery.Connection;
import io.pagenow.core.delivery.Event;
import io.pagenow.core.delivery.port.out.ClientPush;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** The example's own push keeps the port's promises: an inbox that was closed is a target gone. */
class InboxesTest extends ClientPushContract {

    private final Inboxes inboxes = new Inboxes();
    private final Map<String, BlockingQueue<Event>> opened = new ConcurrentHashMap<>();

    @Override
    protected ClientPush push() {
        return inboxes;
    }

    @Override
    protected Connection open(String userId, Channel channel) {
        Connection connection = new Connection(UUID.randomUUID().toString(), userId, channel, "embedded");
        opened.put(connection.id(), inboxes.open(connection));
        return connection;
    }

    @Override
    protected void close(Connection target) {
        inboxes.close(target.id());
    }

    @Override
    protected boolean received(Connection target, Event event, Duration within) throws InterruptedException {
        return event.equals(opened.get(target.id()).poll(within.toMillis(), TimeUnit.MILLISECONDS));
    }
}
