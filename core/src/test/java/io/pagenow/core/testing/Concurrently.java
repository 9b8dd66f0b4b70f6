package io.pagenow.core.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Runs tasks on many threads released at the same instant, so races have a real chance to
 * happen, and waits for all of them with a bound instead of sleeping.
 */
public final class Concurrently {

    /** Bound on the whole run: a deadlock or a hang fails the test instead of blocking the build. */
    private static final long TIMEOUT_SECONDS = 60;

    private Concurrently() {
    }

    /** Runs {@code task(i)} for i in 0..threads-1, each on its own thread, and returns the results by i. */
    public static <T> List<T> run(int threads, IndexedTask<T> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch ready = new CountDownLatch(threads);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>(threads);
            for (int i = 0; i < threads; i++) {
                int index = i;
                Callable<T> call = () -> {
                    ready.countDown();
                    if (!go.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("start gate never opened");
                    }
                    return task.run(index);
                };
                futures.add(pool.submit(call));
            }
            if (!ready.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException("threads did not start");
            }
            go.countDown();
            List<T> results = new ArrayList<>(threads);
            for (Future<T> future : futures) {
                results.add(future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    /** The same task on every thread. */
    public static <T> List<T> run(int threads, Callable<T> task) throws Exception {
        return run(threads, i -> task.call());
    }

    /** One thread's work, told which thread it is. */
    @FunctionalInterface
    public interface IndexedTask<T> {
        T run(int index) throws Exception;
    }
}
