package io.pagenow.redis;

import io.pagenow.core.contract.ClientPushContract;
import io.pagenow.core.delivery.Channel;
import io.pagenow.core.delivery.Connection;
import io.pagenow.core.delivery.Event;
import io.pagenow.core.delivery.port.out.ClientPush;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The relay of node "a" on the shared Redis, with node "b" beside it: targets alternate between
 * the two nodes, so half of each push goes through Redis's pub/sub to b's subscriber. Each node's
 * own sockets are a queue; a closed target is a socket its node no longer holds.
 */
class RedisRelayClientPushContractTest extends ClientPushContract {

    private String prefix;
    private final List<RedisLive> lives = new ArrayList<>();
    private final Map<String, QueuedClientPush> sockets = new ConcurrentHashMap<>();
    private final Map<String, Deliveries> seen = new ConcurrentHashMap<>();
    private ClientPush push;
    private int opened;

    /** What one node's sockets received, kept across waits. */
    private record Deliveries(QueuedClientPush queue, List<QueuedClientPush.Delivery> kept) {
    }

    @BeforeEach
    void startNodes() throws InterruptedException {
        prefix = RedisTestSupport.freshPrefix();
        push = start("a");
        start("b");
    }

    private ClientPush start(String nodeId) throws InterruptedException {
        RedisLive live = RedisTestSupport.connect(RedisTestSupport.config(prefix, nodeId));
        lives.add(live);
        QueuedClientPush local = new QueuedClientPush();
        sockets.put(nodeId, local);
        seen.put(nodeId, new Deliveries(local, new ArrayList<>()));
        ClientPush relay = live.relay(local);
        assertTrue(live.runningRelay().subscriber().awaitSubscriptions(1, WAIT), "relay of " + nodeId + " subscribed");
        return relay;
    }

    @AfterEach
    void stopNodes() {
        lives.forEach(RedisLive::close);
        RedisTestSupport.deleteKeysUnder(prefix);
    }

    @Override
    protected ClientPush push() {
        return push;
    }

    @Override
    protected Connection open(String userId, Channel channel) {
        String node = opened++ % 2 == 0 ? "a" : "b";
        Connection connection = new Connection(UUID.randomUUID().toString(), userId, channel, node);
        lives.get(0).registry().register(connection);
        return connection;
    }

    @Override
    protected void close(Connection target) {
        sockets.get(target.nodeId()).close(target.id());
    }

    /**
     * A target closed on b is not reported to a: b finds it gone when the push arrives and drops it
     * from the registry. b handles its messages one after another, so once a later push to b has
     * arrived, the drop is done.
     */
    @Override
    protected boolean forgotten(Connection target, Set<String> reportedGone) throws Exception {
        if (reportedGone.contains(target.id())) {
            return true;
        }
        if (!target.nodeId().equals("b")) {
            return false;
        }
        Connection marker = new Connection(UUID.randomUUID().toString(), "marker", target.channel(), "b");
        Event event = new Event.PresenceTimeout("marker-" + marker.id());
        push.push(List.of(marker), event);
        return received(marker, event, WAIT) && lives.get(0).registry().find(target.id()).isEmpty();
    }

    @Override
    protected boolean received(Connection target, Event event, Duration within) throws InterruptedException {
        Deliveries node = seen.get(target.nodeId());
        QueuedClientPush.Delivery wanted = new QueuedClientPush.Delivery(target, event);
        long deadline = System.nanoTime() + within.toNanos();
        while (!node.kept().contains(wanted)) {
            QueuedClientPush.Delivery next = node.queue().poll(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            if (next == null) {
                return false;
            }
            node.kept().add(next);
        }
        return true;
    }
}
