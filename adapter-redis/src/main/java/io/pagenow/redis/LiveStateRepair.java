package io.pagenow.redis;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Runs the node's repair (register every socket it holds again, forget what it no longer holds)
 * when the relay finds its live state lost, on a thread of its own: the beat and the subscriber
 * threads must not wait for it. Requests made while one runs are merged into one more run; a run
 * that throws is kept pending and retried on the next successful beat.
 */
final class LiveStateRepair implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LiveStateRepair.class);

    private final ExecutorService worker;
    private final AtomicReference<String> wanted = new AtomicReference<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private volatile Consumer<String> action = reason -> { };

    LiveStateRepair(String nodeId) {
        this.worker = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "pagenow-redis-repair-" + nodeId);
            thread.setDaemon(true);
            return thread;
        });
    }

    /** What a repair does; given the reason ({@code presumed-dead}, {@code outage}); throws when it could not finish. */
    void set(Consumer<String> repair) {
        action = Objects.requireNonNull(repair, "repair");
    }

    void request(String reason) {
        wanted.set(reason);
        schedule();
    }

    /** A repair that failed before is tried again. */
    void retryPending() {
        if (wanted.get() != null) {
            schedule();
        }
    }

    private void schedule() {
        if (scheduled.compareAndSet(false, true)) {
            try {
                worker.execute(this::run);
            } catch (RejectedExecutionException closed) {
                scheduled.set(false);
            }
        }
    }

    private void run() {
        scheduled.set(false);
        String reason = wanted.getAndSet(null);
        if (reason == null) {
            return;
        }
        try {
            action.accept(reason);
        } catch (RuntimeException e) {
            wanted.compareAndSet(null, reason);
            log.warn("live state repair ({}) failed, retried after the next beat: {}", reason, e.toString());
        }
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
