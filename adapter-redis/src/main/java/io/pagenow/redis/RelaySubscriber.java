package io.pagenow.redis;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Connection;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.exceptions.JedisException;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Listens on this node's relay channel on a thread and connection of its own (a subscribed
 * connection can do nothing else). When the connection breaks (Redis restarted, network lost)
 * it reconnects with a growing pause of at most two seconds and subscribes again; a watchdog
 * ({@link #checkHealth}) pings the subscription and drops a connection that stopped answering,
 * since a silently lost peer would otherwise leave the read blocked forever.
 */
final class RelaySubscriber implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RelaySubscriber.class);
    private static final Duration FIRST_PAUSE = Duration.ofMillis(100);
    private static final Duration LONGEST_PAUSE = Duration.ofSeconds(2);

    private final Supplier<Connection> connect;
    private final String channel;
    private final Consumer<String> onMessage;
    private final Runnable onSubscribed;
    private final Thread thread;
    private final CountDownLatch closing = new CountDownLatch(1);

    private volatile Connection current;
    private volatile Listener listener;
    private volatile long lastHeardNanos = System.nanoTime();
    /** Guarded by {@code this}; waiters are woken on every change. */
    private long subscriptions;

    /**
     * @param connect      opens a new dedicated connection (throws a JedisException when Redis is down)
     * @param onMessage    gets each message; runs on the subscriber thread, so it must not block for long
     * @param onSubscribed runs on the subscriber thread after each (re)subscription, before it is counted
     */
    RelaySubscriber(Supplier<Connection> connect, String channel, Consumer<String> onMessage, Runnable onSubscribed,
                    String threadName) {
        this.connect = connect;
        this.channel = channel;
        this.onMessage = onMessage;
        this.onSubscribed = onSubscribed;
        this.thread = new Thread(this::run, threadName);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    private void run() {
        Duration pause = FIRST_PAUSE;
        while (closing.getCount() > 0) {
            Connection connection = null;
            try {
                connection = connect.get();
                current = connection;
                if (closing.getCount() == 0) {
                    break;
                }
                Listener subscription = new Listener();
                listener = subscription;
                subscription.proceed(connection, channel);
                pause = FIRST_PAUSE;
            } catch (JedisException e) {
                if (closing.getCount() > 0) {
                    log.warn("relay subscription on {} lost, reconnecting: {}", channel, e.toString());
                }
            } catch (RuntimeException e) {
                log.error("relay subscription on {} failed, reconnecting", channel, e);
            } finally {
                listener = null;
                current = null;
                if (connection != null) {
                    try {
                        connection.close();
                    } catch (RuntimeException ignored) {
                        // Already broken.
                    }
                }
            }
            try {
                if (closing.await(pause.toMillis(), TimeUnit.MILLISECONDS)) {
                    break;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            pause = pause.multipliedBy(2).compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : pause.multipliedBy(2);
        }
    }

    /**
     * Pings the subscription; drops its connection when nothing (message, pong, subscription)
     * was heard for {@code silenceLimit}, which makes the subscriber thread reconnect.
     */
    void checkHealth(Duration silenceLimit) {
        Listener subscription = listener;
        if (subscription == null || !subscription.isSubscribed()) {
            return;
        }
        if (System.nanoTime() - lastHeardNanos > silenceLimit.toNanos()) {
            log.warn("relay subscription on {} silent for over {}, reconnecting", channel, silenceLimit);
            dropConnection();
            return;
        }
        try {
            subscription.ping();
        } catch (JedisException e) {
            dropConnection();
        }
    }

    boolean subscribed() {
        Listener subscription = listener;
        return subscription != null && subscription.isSubscribed();
    }

    /** How many times the subscription was made, first time included. */
    synchronized long subscriptions() {
        return subscriptions;
    }

    /** Waits until the subscription was made at least {@code count} times; false when the wait ran out. */
    synchronized boolean awaitSubscriptions(long count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (subscriptions < count) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    private synchronized void counted() {
        subscriptions++;
        notifyAll();
    }

    private void dropConnection() {
        Connection connection = current;
        if (connection != null) {
            try {
                connection.disconnect();
            } catch (RuntimeException ignored) {
                // Already broken: the subscriber thread notices either way.
            }
        }
    }

    @Override
    public void close() {
        closing.countDown();
        Listener subscription = listener;
        if (subscription != null) {
            try {
                subscription.unsubscribe();
            } catch (RuntimeException e) {
                dropConnection();
            }
        }
        try {
            thread.join(LONGEST_PAUSE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            dropConnection();
        }
    }

    private final class Listener extends JedisPubSub {
        @Override
        public void onSubscribe(String subscribedChannel, int subscribedChannels) {
            lastHeardNanos = System.nanoTime();
            try {
                onSubscribed.run();
            } catch (RuntimeException e) {
                log.warn("after subscribing to {}: {}", channel, e.toString());
            }
            log.info("relay subscribed to {}", channel);
            counted();
        }

        @Override
        public void onMessage(String fromChannel, String message) {
            lastHeardNanos = System.nanoTime();
            try {
                onMessage.accept(message);
            } catch (RuntimeException e) {
                // The cause's message might quote the payload; log only its type.
                log.error("relay delivery failed: {}", e.getClass().getName());
            }
        }

        @Override
        public void onPong(String pattern) {
            lastHeardNanos = System.nanoTime();
        }
    }
}
