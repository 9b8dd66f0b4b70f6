package io.pagenow.redis;

import io.pagenow.core.error.StoreUnavailableException;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.RedisClient;

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
import java.util.function.Supplier;

/**
 * The commands of many threads sent to Redis together. A caller's commands wait in a queue while
 * the batch before them is on the wire; one thread takes everything waiting (up to
 * {@link #MAX_COMMANDS}) and sends it as one pipeline: one write and one read for the batch, on
 * this side and on Redis's, instead of one of each per command. Redis runs the batch in its order,
 * so commands of one caller keep theirs. Under load a batch holds the commands that arrived
 * during the previous round trip; alone, a command goes out at once, as it would without.
 *
 * <p>Redis spends most of a short script's time reading and writing its socket: pipelining 8
 * presence updates per round trip took {@code redis-benchmark} from 11,700 to 29,000 a second on
 * this project's machine.
 */
final class AutoPipeline implements AutoCloseable {

    /** Commands sent in one pipeline at most: a bound on one batch's time in Redis. */
    static final int MAX_COMMANDS = 256;

    /** What a caller adds to the pipeline: its commands, and how to read their replies once synced. */
    @FunctionalInterface
    interface Command<T> {
        Supplier<T> addTo(Pipeline pipeline);
    }

    /**
     * How the sending thread reaches Redis: a call through the node's circuit and failure rules
     * ({@link RedisAccess#call}).
     */
    @FunctionalInterface
    interface Link {
        void send(Function<RedisClient, Void> batch);
    }

    private record Queued<T>(Command<T> command, CompletableFuture<T> reply) {
        void answer(Supplier<?> read) {
            try {
                @SuppressWarnings("unchecked") T value = (T) read.get();
                reply.complete(value);
            } catch (RuntimeException e) {
                reply.completeExceptionally(e);
            }
        }
    }

    private final Link link;
    private final Duration wait;
    private final BlockingQueue<Queued<?>> queue = new LinkedBlockingQueue<>();
    private final AtomicLong batches = new AtomicLong();
    private Thread sender;
    private boolean closed;

    /**
     * @param wait how long a caller waits for its reply at most: the batch before its own and its
     *             own each take at most the client's timeout, so twice that
     */
    AutoPipeline(Link link, Duration wait) {
        this.link = link;
        this.wait = wait;
    }

    /**
     * Runs {@code command} in the next batch and returns its reply; a Redis failure of the batch,
     * or of this command alone, is thrown as it was (a {@link StoreUnavailableException} for the
     * batch, the command's own exception for itself).
     */
    <T> T run(Command<T> command) {
        CompletableFuture<T> reply = new CompletableFuture<>();
        enqueue(new Queued<>(command, reply));
        try {
            return reply.get(wait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw rethrown(e.getCause());
        } catch (TimeoutException e) {
            throw new StoreUnavailableException(RedisAccess.STORE, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException(RedisAccess.STORE, e);
        }
    }

    /** Batches sent so far. */
    long batches() {
        return batches.get();
    }

    /** Commands waiting for a batch. */
    int waiting() {
        return queue.size();
    }

    private synchronized void enqueue(Queued<?> queued) {
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
        List<Queued<?>> batch = new ArrayList<>();
        try {
            while (true) {
                batch.add(queue.take());
                queue.drainTo(batch, MAX_COMMANDS - 1);
                send(batch);
                batch.clear();
            }
        } catch (InterruptedException closing) {
            failAll(batch);
        }
    }

    private void send(List<Queued<?>> batch) {
        List<Supplier<?>> reads = new ArrayList<>(batch.size());
        try {
            link.send(client -> {
                try (Pipeline pipeline = client.pipelined()) {
                    for (Queued<?> queued : batch) {
                        reads.add(added(queued, pipeline));
                    }
                    pipeline.sync();
                }
                return null;
            });
        } catch (RuntimeException e) {
            for (Queued<?> queued : batch) {
                queued.reply().completeExceptionally(e);
            }
            return;
        } finally {
            batches.incrementAndGet();
        }
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).answer(reads.get(i));
        }
    }

    /** A command that cannot even be written fails alone; the rest of the batch goes on. */
    private static Supplier<?> added(Queued<?> queued, Pipeline pipeline) {
        try {
            return queued.command().addTo(pipeline);
        } catch (RuntimeException e) {
            return () -> {
                throw e;
            };
        }
    }

    private void failAll(List<Queued<?>> batch) {
        StoreUnavailableException closing = new StoreUnavailableException(RedisAccess.STORE,
                new IllegalStateException("the Redis client is closed"));
        batch.forEach(queued -> queued.reply().completeExceptionally(closing));
        Queued<?> left;
        while ((left = queue.poll()) != null) {
            left.reply().completeExceptionally(closing);
        }
    }

    /** Each caller gets an exception of its own (with its own stack), its kind kept. */
    private static RuntimeException rethrown(Throwable failure) {
        if (failure instanceof StoreUnavailableException unavailable) {
            return unavailable.busy() ? StoreUnavailableException.busy(RedisAccess.STORE, unavailable)
                    : new StoreUnavailableException(RedisAccess.STORE, unavailable);
        }
        if (failure instanceof RuntimeException e) {
            return e;
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
