package io.pagenow.postgres;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * Reads of single users asked for while none is running yet, done as one read of all of them: the
 * social graph cache's refreshes fall due together (its entries were loaded together), and one
 * query for many users costs the database and this process about what one for a single user does.
 * The first read asked for submits the batch to the executor (which may wait a moment, so more
 * join it); every read asked for before the batch runs joins it.
 *
 * @param <V> what is read per user
 */
final class BatchedReads<V> {

    private final Function<Collection<String>, Map<String, V>> readAll;
    private final Executor executor;
    private final int maxBatch;
    private final Object lock = new Object();
    /** Guarded by {@code lock}: the users of the batch not yet started, with their callers' futures. */
    private Map<String, CompletableFuture<V>> pending = new LinkedHashMap<>();

    /**
     * @param readAll  reads every user given, each one present in the answer
     * @param executor runs the batch
     * @param maxBatch users per read at most; a larger batch is read in several
     */
    BatchedReads(Function<Collection<String>, Map<String, V>> readAll, Executor executor, int maxBatch) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be positive");
        }
        this.readAll = readAll;
        this.executor = executor;
        this.maxBatch = maxBatch;
    }

    /** The user's value, read in the next batch; fails as that read fails. */
    CompletableFuture<V> read(String userId) {
        CompletableFuture<V> value;
        boolean first;
        synchronized (lock) {
            first = pending.isEmpty();
            value = pending.computeIfAbsent(userId, user -> new CompletableFuture<>());
        }
        if (first) {
            try {
                executor.execute(this::run);
            } catch (RuntimeException e) {
                // Executor shut down (the stores are closing): fail this batch rather than leave it waiting.
                fail(take(), e);
            }
        }
        return value;
    }

    private Map<String, CompletableFuture<V>> take() {
        synchronized (lock) {
            Map<String, CompletableFuture<V>> batch = pending;
            pending = new LinkedHashMap<>();
            return batch;
        }
    }

    private void run() {
        List<Map.Entry<String, CompletableFuture<V>>> batch = new ArrayList<>(take().entrySet());
        for (int from = 0; from < batch.size(); from += maxBatch) {
            List<Map.Entry<String, CompletableFuture<V>>> part = batch.subList(from, Math.min(batch.size(), from + maxBatch));
            List<String> users = part.stream().map(Map.Entry::getKey).toList();
            Map<String, V> found;
            try {
                found = readAll.apply(users);
            } catch (RuntimeException e) {
                part.forEach(read -> read.getValue().completeExceptionally(e));
                continue;
            }
            for (Map.Entry<String, CompletableFuture<V>> read : part) {
                V value = found.get(read.getKey());
                if (value == null) {
                    read.getValue().completeExceptionally(new IllegalStateException("the read left out a user asked for"));
                } else {
                    read.getValue().complete(value);
                }
            }
        }
    }

    private static <V> void fail(Map<String, CompletableFuture<V>> batch, RuntimeException e) {
        batch.values().forEach(read -> read.completeExceptionally(e));
    }
}
