package io.pagenow.postgres;

import io.pagenow.core.error.StoreUnavailableException;
import io.pagenow.core.testing.Concurrently;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The group-commit engine alone, with a writer of the test's own: no database. A batch is gathered
 * for certain by holding the writer inside a first write (a latch) while the items under test
 * queue; releasing it lets the writer take them all at once.
 */
class GroupCommitTest {

    private static final Duration LONG_WAIT = Duration.ofSeconds(30);

    private final ExecutorService threads = Executors.newCachedThreadPool();
    /** Every batch the writer was handed, in order. */
    private final List<List<Integer>> batches = new CopyOnWriteArrayList<>();
    private final CountDownLatch holding = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    /** Opened when the held writer is interrupted (by close()). */
    private final CountDownLatch interruptedWhileHeld = new CountDownLatch(1);
    private final List<GroupCommit<Integer, String>> engines = new ArrayList<>();

    @AfterEach
    void stop() throws InterruptedException {
        release.countDown();
        engines.forEach(GroupCommit::close);
        threads.shutdownNow();
        assertTrue(threads.awaitTermination(30, TimeUnit.SECONDS));
    }

    /**
     * A writer that answers "v" + item, except that item -1 holds it until released; like a
     * statement on a blocking socket, an interrupt does not end the hold.
     */
    private List<GroupCommit.Outcome<String>> answer(List<Integer> batch) {
        batches.add(List.copyOf(batch));
        if (batch.contains(-1)) {
            holding.countDown();
            boolean interrupted = false;
            while (true) {
                try {
                    if (!release.await(30, TimeUnit.SECONDS)) {
                        throw new AssertionError("the writer was never released");
                    }
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                    interruptedWhileHeld.countDown();
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        return batch.stream().map(i -> GroupCommit.Outcome.of("v" + i)).toList();
    }

    private GroupCommit<Integer, String> engine(GroupCommit.Writer<Integer, String> writer, int maxBatch,
                                                Duration wait) {
        GroupCommit<Integer, String> engine = new GroupCommit<>("TestStore", writer, maxBatch, wait, "test-writer");
        engines.add(engine);
        return engine;
    }

    @Test
    void whatQueuesWhileTheWriterIsBusyIsWrittenAsOneBatchInArrivalOrder() throws Exception {
        GroupCommit<Integer, String> engine = engine(this::answer, 128, LONG_WAIT);
        List<Future<String>> futures = holdThenQueue(engine, List.of(5, 3, 9, 1, 7));

        assertEquals(List.of("v5", "v3", "v9", "v1", "v7"), results(futures), "each caller gets its own answer");
        assertEquals(List.of(List.of(-1), List.of(5, 3, 9, 1, 7)), batches, "one batch, in arrival order");
    }

    @Test
    void aBatchNeverExceedsItsMaximum() throws Exception {
        GroupCommit<Integer, String> engine = engine(this::answer, 3, LONG_WAIT);
        List<Future<String>> futures = holdThenQueue(engine, List.of(1, 2, 3, 4, 5, 6, 7));

        assertEquals(List.of("v1", "v2", "v3", "v4", "v5", "v6", "v7"), results(futures));
        assertEquals(List.of(List.of(-1), List.of(1, 2, 3), List.of(4, 5, 6), List.of(7)), batches);
    }

    @Test
    void manyConcurrentCallersEachGetTheirOwnAnswerAndEachItemIsWrittenOnce() throws Exception {
        GroupCommit<Integer, String> engine = engine(this::answer, 16, LONG_WAIT);
        int callers = 64;
        int each = 50;
        List<List<String>> answers = Concurrently.run(callers, c -> {
            List<String> mine = new ArrayList<>();
            for (int k = 0; k < each; k++) {
                mine.add(engine.submit(c * 1000 + k));
            }
            return mine;
        });

        for (int c = 0; c < callers; c++) {
            int caller = c;
            assertEquals(IntStream.range(0, each).mapToObj(k -> "v" + (caller * 1000 + k)).toList(), answers.get(c));
        }
        List<Integer> written = batches.stream().flatMap(List::stream).sorted().toList();
        assertEquals(IntStream.range(0, callers).boxed()
                .flatMap(c -> IntStream.range(0, each).mapToObj(k -> c * 1000 + k)).sorted().toList(), written,
                "every item written exactly once");
        assertTrue(batches.stream().allMatch(b -> b.size() <= 16), "no batch over its maximum");
    }

    @Test
    void anItemsOwnFailureFailsOnlyItsCaller() throws Exception {
        GroupCommit<Integer, String> engine = engine(batch -> {
            answer(batch);
            return batch.stream().map(i -> i == 2
                    ? GroupCommit.Outcome.<String>failed(new IllegalArgumentException("no such thing " + i))
                    : GroupCommit.Outcome.of("v" + i)).toList();
        }, 128, LONG_WAIT);
        List<Future<String>> futures = holdThenQueue(engine, List.of(1, 2, 3));

        assertEquals("v1", futures.get(0).get(30, TimeUnit.SECONDS));
        assertInstanceOf(IllegalArgumentException.class, failure(futures.get(1)));
        assertEquals("v3", futures.get(2).get(30, TimeUnit.SECONDS));
        assertEquals(2, batches.size(), "nothing written again");
    }

    @Test
    void anUnavailableStoreFailsEveryCallerOfTheBatchAndTheNextBatchIsWritten() throws Exception {
        StoreUnavailableException outage = new StoreUnavailableException("TestStore", new IllegalStateException("down"));
        GroupCommit<Integer, String> engine = engine(batch -> {
            List<GroupCommit.Outcome<String>> outcomes = answer(batch);
            if (batch.contains(2)) {
                throw outage;
            }
            return outcomes;
        }, 128, LONG_WAIT);
        List<Future<String>> futures = holdThenQueue(engine, List.of(1, 2, 3));

        for (Future<String> future : futures) {
            assertSame(outage, failure(future));
        }
        assertEquals(2, batches.size(), "an outage is not written again item by item");
        assertEquals("v4", engine.submit(4));
    }

    @Test
    void aBatchTheStoreRefusesIsWrittenAgainOneByOneSoOnlyTheCulpritFails() throws Exception {
        GroupCommit<Integer, String> engine = engine(batch -> {
            List<GroupCommit.Outcome<String>> outcomes = answer(batch);
            if (batch.contains(2)) {
                throw new IllegalStateException("value too long");
            }
            return outcomes;
        }, 128, LONG_WAIT);
        List<Future<String>> futures = holdThenQueue(engine, List.of(1, 2, 3));

        assertEquals("v1", futures.get(0).get(30, TimeUnit.SECONDS));
        assertInstanceOf(IllegalStateException.class, failure(futures.get(1)));
        assertEquals("v3", futures.get(2).get(30, TimeUnit.SECONDS));
        assertEquals(List.of(List.of(-1), List.of(1, 2, 3), List.of(1), List.of(2), List.of(3)), batches);
    }

    @Test
    void aWriterThatThrowsAnErrorOrMiscountsFailsItsBatchAndTheWriterLivesOn() throws Exception {
        GroupCommit<Integer, String> engine = engine(batch -> {
            answer(batch);
            if (batch.contains(2)) {
                throw new AssertionError("a bug in the writer");
            }
            if (batch.contains(3)) {
                return List.of();
            }
            return batch.stream().map(i -> GroupCommit.Outcome.of("v" + i)).toList();
        }, 128, LONG_WAIT);

        assertInstanceOf(AssertionError.class, assertThrows(IllegalStateException.class, () -> engine.submit(2)).getCause());
        assertThrows(IllegalStateException.class, () -> engine.submit(3));
        assertEquals("v4", engine.submit(4), "the writer thread survived both");
    }

    @Test
    void aCallerWaitsBoundedAndItsItemIsDroppedWhenTheWriterHasNotTakenIt() throws Exception {
        GroupCommit<Integer, String> engine = engine(this::answer, 128, Duration.ofMillis(200));
        Future<String> held = threads.submit(() -> engine.submit(-1));
        await(holding);

        StoreUnavailableException timedOut = assertThrows(StoreUnavailableException.class, () -> engine.submit(7));
        assertInstanceOf(TimeoutException.class, timedOut.getCause());
        assertInstanceOf(StoreUnavailableException.class, failure(held), "the held caller's wait is bounded too");
        release.countDown();
        assertEquals("v8", engine.submit(8));
        assertFalse(batches.stream().anyMatch(b -> b.contains(7)), "an item whose caller gave up is never written");
    }

    @Test
    void closingFinishesTheBatchBeingWrittenFailsEveryQueuedCallerAndRefusesNewItems() throws Exception {
        GroupCommit<Integer, String> engine = engine(this::answer, 128, LONG_WAIT);
        Future<String> held = threads.submit(() -> engine.submit(-1));
        await(holding);
        List<Future<String>> queued = queue(engine, List.of(1, 2, 3));
        CompletableFuture<Void> closing = CompletableFuture.runAsync(engine::close, threads);
        await(interruptedWhileHeld);
        release.countDown();
        closing.get(30, TimeUnit.SECONDS);

        assertEquals("v-1", held.get(30, TimeUnit.SECONDS), "the batch being written when close began is answered");
        for (Future<String> future : queued) {
            assertInstanceOf(StoreUnavailableException.class, failure(future));
        }
        assertTrue(engine.stopped(), "the writer thread ended");
        assertThrows(StoreUnavailableException.class, () -> engine.submit(4));
        assertEquals(List.of(List.of(-1)), batches, "nothing queued was written after close");
    }

    @Test
    void refusesANonsensicalConfiguration() {
        assertThrows(IllegalArgumentException.class, () -> engine(this::answer, 0, LONG_WAIT));
        assertThrows(IllegalArgumentException.class, () -> engine(this::answer, 1, Duration.ZERO));
    }

    /** Holds the writer in a batch of its own, queues {@code items} in their order, then releases it. */
    private List<Future<String>> holdThenQueue(GroupCommit<Integer, String> engine, List<Integer> items) {
        threads.submit(() -> engine.submit(-1));
        await(holding);
        List<Future<String>> futures = queue(engine, items);
        release.countDown();
        return futures;
    }

    /** Submits each item on a thread of its own once the one before is queued. */
    private List<Future<String>> queue(GroupCommit<Integer, String> engine, List<Integer> items) {
        List<Future<String>> futures = new ArrayList<>();
        for (int item : items) {
            futures.add(threads.submit(() -> engine.submit(item)));
            int expected = futures.size();
            await(() -> engine.waiting() == expected, "item " + item + " never queued");
        }
        return futures;
    }

    private static List<String> results(List<Future<String>> futures) throws Exception {
        List<String> results = new ArrayList<>();
        for (Future<String> future : futures) {
            results.add(future.get(30, TimeUnit.SECONDS));
        }
        return Collections.unmodifiableList(results);
    }

    private static Throwable failure(Future<?> future) throws Exception {
        ExecutionException e = assertThrows(ExecutionException.class, () -> future.get(30, TimeUnit.SECONDS));
        return e.getCause();
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new AssertionError("latch never opened");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static void await(BooleanSupplier condition, String message) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(message);
            }
            Thread.yield();
        }
    }
}
