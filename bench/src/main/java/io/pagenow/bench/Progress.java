package io.pagenow.bench;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/** Counts what has been accounted for (delivered, or known failed) until the expected total. */
final class Progress {

    private final long expected;
    private final AtomicLong accounted = new AtomicLong();
    private final CompletableFuture<Void> done = new CompletableFuture<>();

    Progress(long expected) {
        this.expected = expected;
        if (expected == 0) {
            done.complete(null);
        }
    }

    void add(long n) {
        if (accounted.addAndGet(n) >= expected) {
            done.complete(null);
        }
    }

    long accounted() {
        return accounted.get();
    }

    /** Waits until everything is accounted for or the drain time is up; tells which. */
    boolean await(long seconds) {
        try {
            done.get(seconds, TimeUnit.SECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (java.util.concurrent.ExecutionException e) {
            return false;
        }
    }
}
