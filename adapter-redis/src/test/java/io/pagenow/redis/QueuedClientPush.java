package io.pagenow.redis;

import io.pagenow.core.delivery.port.out.ClientPush;
import io.pagenow.core.delivery.Connection;
import io.pagenow.core.delivery.Event;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertNotNull;

/** A node's own socket holder in tests: deliveries land in a queue a test waits on. */
final class QueuedClientPush implements ClientPush {

    record Delivery(Connection connection, Event event) {
    }

    private final BlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();
    private final Set<String> closed = ConcurrentHashMap.newKeySet();

    @Override
    public Set<String> push(List<Connection> targets, Event event) {
        Set<String> gone = new HashSet<>();
        for (Connection target : targets) {
            if (closed.contains(target.id())) {
                gone.add(target.id());
            } else {
                deliveries.add(new Delivery(target, event));
            }
        }
        return gone;
    }

    /** From now on this socket is closed: pushes to it report it gone. */
    void close(String connectionId) {
        closed.add(connectionId);
    }

    /** The next delivery; fails when none comes within five seconds. */
    Delivery next() throws InterruptedException {
        Delivery delivery = deliveries.poll(5, TimeUnit.SECONDS);
        assertNotNull(delivery, "no delivery within 5 s");
        return delivery;
    }

    /** The next delivery, or null when none comes within {@code wait}. */
    Delivery poll(Duration wait) throws InterruptedException {
        return deliveries.poll(wait.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Deliveries up to and including the first of {@code marker}, which must come within the bound. */
    List<Delivery> until(Event marker, Duration bound) throws InterruptedException {
        List<Delivery> seen = new java.util.ArrayList<>();
        long deadline = System.nanoTime() + bound.toNanos();
        while (true) {
            Delivery delivery = deliveries.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            assertNotNull(delivery, "marker " + marker + " not delivered within " + bound);
            seen.add(delivery);
            if (delivery.event().equals(marker)) {
                return seen;
            }
        }
    }

    /** Whatever was delivered so far, without waiting. */
    List<Delivery> drain() {
        List<Delivery> drained = new java.util.ArrayList<>();
        deliveries.drainTo(drained);
        return drained;
    }
}
