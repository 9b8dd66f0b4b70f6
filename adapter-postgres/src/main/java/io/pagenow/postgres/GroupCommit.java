package io.pagenow.postgres;

import io.pagenow.core.error.StoreUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Group commit: callers queue their item and wait, and one writer thread hands every item waiting
 * at that moment (up to {@code maxBatch}, in arrival order) to a {@link Writer} at once, then
 * answers each caller. Under load one write (and its commit) is shared by many items; a lone item
 * is written at once, with no delay to gather others. Knows nothing of what it writes.
 *
 * <p>Every caller's wait is bounded by the {@code wait} it is given: past it the caller gets
 * {@link StoreUnavailableException} and its item, if the writer has not taken it yet, is dropped.
 * A batch that fails with {@link StoreUnavailableException} (the store is out) fails every caller
 * in it; one that fails otherwise (say one value the store refuses) is written again one item at
 * a time, so only the culprit fails. The writer thread never dies of a failure.
 */
final class GroupCommit<I, R> implements AutoCloseable {

    /** Writes a batch; what each item got, in the batch's order. */
    @FunctionalInterface
    interface Writer<I, R> {
        /**
         * @throws StoreUnavailableException when the store is out: every item of the batch fails
         * @throws RuntimeException          anything else: the items are written again one by one
         */
        List<Outcome<R>> write(List<I> batch);
    }

    /** One item's answer: its result, or this caller's own failure. */
    record Outcome<R>(R result, RuntimeException failure) {
        static <R> Outcome<R> of(R result) {
            return new Outcome<>(Objects.requireNonNull(result, "result"), null);
        }

        static <R> Outcome<R> failed(RuntimeException failure) {
            return new Outcome<>(null, Objects.requireNonNull(failure, "failure"));
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(GroupCommit.class);

    private final String store;
    private final Writer<I, R> writer;
    private final int maxBatch;
    private final long waitNanos;
    private final LinkedBlockingQueue<Pending<I, R>> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean closed;

    /**
     * @param store    the store's name, for {@link StoreUnavailableException}
     * @param maxBatch items written together at most
     * @param wait     how long a caller waits for its item at most (queue and write)
     */
    GroupCommit(String store, Writer<I, R> writer, int maxBatch, Duration wait, String threadName) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be at least 1, was " + maxBatch);
        }
        if (wait.isNegative() || wait.isZero()) {
            throw new IllegalArgumentException("wait must be positive, was " + wait);
        }
        this.store = Objects.requireNonNull(store, "store");
        this.writer = Objects.requireNonNull(writer, "writer");
        this.maxBatch = maxBatch;
        this.waitNanos = wait.toNanos();
        this.thread = new Thread(this::run, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    /** Queues the item and waits, bounded, for its batch to be written. */
    R submit(I item) {
        Pending<I, R> pending = new Pending<>(item);
        if (closed) {
            throw closedFailure();
        }
        queue.add(pending);
        if (closed) {
            // close() may have emptied the queue just before the add.
            failWaiting();
        }
        try {
            return pending.result.get(waitNanos, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            // Dropped unless the writer has taken it; a caller that retries finds it either way.
            pending.result.cancel(false);
            throw new StoreUnavailableException(store, e);
        } catch (InterruptedException e) {
            pending.result.cancel(false);
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException(store, e);
        } catch (CancellationException e) {
            throw new StoreUnavailableException(store, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new IllegalStateException(store + " write failed", e.getCause());
        }
    }

    /** Items waiting for the writer (not those it is writing): lets a test know a batch has gathered. */
    int waiting() {
        return queue.size();
    }

    private void run() {
        List<Pending<I, R>> batch = new ArrayList<>(maxBatch);
        while (!closed) {
            try {
                Pending<I, R> first = queue.poll(1, TimeUnit.SECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, maxBatch - 1);
                // Callers that gave up are not written for.
                batch.removeIf(p -> p.result.isDone());
                write(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException | Error e) {
                // Never let the writer die: its callers would wait out their bound.
                LOG.error("{} batch failed unexpectedly", store, e);
                batch.forEach(p -> p.result.completeExceptionally(e));
            } finally {
                batch.clear();
            }
        }
        failWaiting();
    }

    private void write(List<Pending<I, R>> batch) {
        if (batch.isEmpty()) {
            return;
        }
        List<Outcome<R>> outcomes;
        try {
            outcomes = writer.write(batch.stream().map(p -> p.item).toList());
        } catch (StoreUnavailableException e) {
            batch.forEach(p -> p.result.completeExceptionally(e));
            return;
        } catch (RuntimeException e) {
            if (batch.size() == 1) {
                batch.get(0).result.completeExceptionally(e);
                return;
            }
            // Something in the batch the store refused (not an outage): each alone, so only it fails.
            for (Pending<I, R> p : batch) {
                write(List.of(p));
            }
            return;
        }
        if (outcomes.size() != batch.size()) {
            throw new IllegalStateException("expected " + batch.size() + " outcomes, got " + outcomes.size());
        }
        for (int i = 0; i < batch.size(); i++) {
            Outcome<R> outcome = outcomes.get(i);
            if (outcome.failure() == null) {
                batch.get(i).result.complete(outcome.result());
            } else {
                batch.get(i).result.completeExceptionally(outcome.failure());
            }
        }
    }

    private StoreUnavailableException closedFailure() {
        return new StoreUnavailableException(store, new IllegalStateException("the stores are closed"));
    }

    private void failWaiting() {
        List<Pending<I, R>> left = new ArrayList<>();
        queue.drainTo(left);
        if (!left.isEmpty()) {
            StoreUnavailableException failure = closedFailure();
            left.forEach(p -> p.result.completeExceptionally(failure));
        }
    }

    /** Stops the writer after the batch it is writing (waiting for it, bounded); items still queued fail. */
    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(TimeUnit.NANOSECONDS.toMillis(waitNanos));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        failWaiting();
    }

    /** Whether the writer thread has ended (after {@link #close()}). */
    boolean stopped() {
        return !thread.isAlive();
    }

    /** An item waiting for its batch. */
    private static final class Pending<I, R> {
        final I item;
        final CompletableFuture<R> result = new CompletableFuture<>();

        Pending(I item) {
            this.item = item;
        }
    }
}
