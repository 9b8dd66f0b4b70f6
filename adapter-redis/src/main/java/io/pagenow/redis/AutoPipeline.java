package io.pagenow.redis;

import io.pagenow.core.error.StoreUnavailableException;
import redis.clients.jedis.CommandObject;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.Response;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The commands of many threads sent to Redis together. A caller's commands wait in a queue while
 * the batch before them is on the wire; one thread takes everything waiting (up to
 * {@link #MAX_CALLERS}) and sends it as one pipeline: one write and one read for the batch, on
 * this side and on Redis's, instead of one of each per command. Redis runs the batch in its order,
 * so commands of one caller keep theirs. Under load a batch holds the commands that arrived
 * during the previous round trip; alone, a command goes out at once, as it would without.
 *
 * <p>That one thread is every caller's way to Redis, so it does nothing a caller can do: callers
 * build their commands (arguments encoded) before queueing them and decode the replies after,
 * on their own threads; the sender only writes and reads.
 *
 * <p>Redis spends most of a short script's time reading and writing its socket: pipelining 8
 * presence updates per round trip took {@code redis-benchmark} from 11,700 to 29,000 a second on
 * this project's machine.
 */
final class AutoPipeline implements AutoCloseable {

    /** Callers whose commands go in one pipeline at most: a bound on one batch's time in Redis. */
    static final int MAX_CALLERS = 256;

    /**
     * How the sending thread reaches Redis: a call through the node's circuit and failure rules
     * ({@link RedisAccess#call}).
     */
    @FunctionalInterface
    interface Link {
        void send(Function<RedisClient, Void> batch);
    }

    private record Queued(List<? extends CommandObject<?>> commands, CompletableFuture<List<Response<?>>> replies) {
    }

    private final Link link;
    private final Duration wait;
    private final BlockingQueue<Queued> queue = new LinkedBlockingQueue<>();
    private final AtomicLong batches = new AtomicLong();
    private volatile int sending;
    private Thread sender;
    private boolean closed;

    /**
     * @param wait how long a caller waits for its replies at most: the batch before its own and its
     *             own each take at most the client's timeout, so twice that
     */
    AutoPipeline(Link link, Duration wait) {
        this.link = link;
        this.wait = wait;
    }

    /** {@link #runAll} of one command. */
    <T> T run(CommandObject<T> command) {
        return runAll(List.of(command)).get(0);
    }

    /**
     * Sends {@code commands} in the next batch and returns their replies in order. A failure of the
     * batch is a {@link StoreUnavailableException}; a command's own error reply is its
     * {@code JedisDataException}, thrown here.
     */
    <T> List<T> runAll(List<CommandObject<T>> commands) {
        CompletableFuture<List<Response<?>>> sent = new CompletableFuture<>();
        enqueue(new Queued(commands, sent));
        List<Response<?>> replies;
        try {
            replies = sent.get(wait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw rethrown(e.getCause());
        } catch (TimeoutException e) {
            throw new StoreUnavailableException(RedisAccess.STORE, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException(RedisAccess.STORE, e);
        }
        List<T> values = new ArrayList<>(replies.size());
        for (Response<?> reply : replies) {
            @SuppressWarnings("unchecked") T value = (T) reply.get();
            values.add(value);
        }
        return values;
    }

    /** Batches sent so far. */
    long batches() {
        return batches.get();
    }

    /** Callers in the batch being sent. */
    int sending() {
        return sending;
    }

    /** Callers waiting for a batch. */
    int waiting() {
        return queue.size();
    }

    private synchronized void enqueue(Queued queued) {
        if (closed) {
            throw new StoreUnavailableException(RedisAccess.STORE, new IllegalStateException("the Redis client is closed"));
        }
        if (sender == null) {
            // Started on first use: a process that never calls Redis keeps no thread for it.
            sender = new Thread(this::sendWhileOpen, "pagenow-redis-pipeline");
            sender.setDaemon(true);
            sender.start();
        }
        queue.add(queued);
    }

    private void sendWhileOpen() {
        List<Queued> batch = new ArrayList<>();
        try {
            while (true) {
                batch.add(queue.take());
                queue.drainTo(batch, MAX_CALLERS - 1);
                send(batch);
                batch.clear();
            }
        } catch (InterruptedException closing) {
            failAll(batch);
        }
    }

    private void send(List<Queued> batch) {
        List<List<Response<?>>> replies = new ArrayList<>(batch.size());
        sending = batch.size();
        try {
            link.send(client -> {
                try (Pipeline pipeline = client.pipelined()) {
                    for (Queued queued : batch) {
                        List<Response<?>> each = new ArrayList<>(queued.commands().size());
                        for (CommandObject<?> command : queued.commands()) {
                            each.add(pipeline.appendCommand(command));
                        }
                        replies.add(each);
                    }
                    pipeline.sync();
                }
                return null;
            });
        } catch (RuntimeException | Error e) {
            // Whatever it was, this thread goes on: if it ended, no caller would reach Redis again.
            for (Queued queued : batch) {
                queued.replies().completeExceptionally(e);
            }
            return;
        } finally {
            sending = 0;
            batches.incrementAndGet();
        }
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).replies().complete(replies.get(i));
        }
    }

    private void failAll(List<Queued> batch) {
        StoreUnavailableException closing = new StoreUnavailableException(RedisAccess.STORE,
                new IllegalStateException("the Redis client is closed"));
        batch.forEach(queued -> queued.replies().completeExceptionally(closing));
        Queued left;
        while ((left = queue.poll()) != null) {
            left.replies().completeExceptionally(closing);
        }
    }

    /**
     * A failed batch as this caller's {@link StoreUnavailableException}: one of its own (with its
     * own stack), busy when the batch's was.
     */
    private static StoreUnavailableException rethrown(Throwable failure) {
        if (failure instanceof StoreUnavailableException unavailable && unavailable.busy()) {
            return StoreUnavailableException.busy(RedisAccess.STORE, unavailable);
        }
        return new StoreUnavailableException(RedisAccess.STORE, failure);
    }

    @Override
    public void close() {
        Thread running;
        synchronized (this) {
            closed = true;
            running = sender;
        }
        if (running != null) {
            running.interrupt();
        }
    }
}
