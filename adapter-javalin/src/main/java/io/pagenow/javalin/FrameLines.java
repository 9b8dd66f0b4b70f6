package io.pagenow.javalin;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Runs the frames of each socket one after another (a {@link Line} per socket) on a shared pool,
 * off Jetty's thread, so Jetty reads a socket's next frame at once and the frame's arrival is
 * known: one that waited too long behind a store that is out can be answered at once instead of
 * waiting out its own timeout. Also lets a stop wait until the frames in hand are answered.
 */
final class FrameLines {

    private static final Logger LOG = LoggerFactory.getLogger(FrameLines.class);

    /** Frames one socket may have waiting; flood control refuses a client far below this. */
    static final int MAX_WAITING = 256;

    private final ThreadPoolExecutor workers;
    /** Lines with frames waiting or running; guarded by {@code this}. */
    private int busy;

    FrameLines(int threads, ThreadFactory threadFactory) {
        this.workers = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                threadFactory);
        workers.allowCoreThreadTimeOut(true);
    }

    Line newLine() {
        return new Line();
    }

    /** Waits, at most {@code timeout}, until no frame is waiting or running. */
    synchronized boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (busy > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    void shutdown() {
        workers.shutdownNow();
    }

    private synchronized void lineBusy() {
        busy++;
    }

    private synchronized void lineIdle() {
        busy--;
        if (busy == 0) {
            notifyAll();
        }
    }

    /** One socket's frames, in arrival order. */
    final class Line {
        private final Queue<Runnable> waiting = new ArrayDeque<>();
        /** Guarded by {@code this}. */
        private boolean running;
        /** Written and read by the line's frames only, one after another. */
        private volatile boolean lastUnavailable;

        /** @return false when the socket already has {@link #MAX_WAITING} frames waiting */
        boolean submit(Runnable frame) {
            synchronized (this) {
                if (waiting.size() >= MAX_WAITING) {
                    return false;
                }
                waiting.add(frame);
                if (running) {
                    return true;
                }
                running = true;
            }
            lineBusy();
            try {
                workers.execute(this::drain);
            } catch (RejectedExecutionException stopped) {
                synchronized (this) {
                    waiting.clear();
                    running = false;
                }
                lineIdle();
            }
            return true;
        }

        /** Whether the frame before on this socket was refused because a store is unavailable. */
        boolean lastUnavailable() {
            return lastUnavailable;
        }

        void lastUnavailable(boolean value) {
            lastUnavailable = value;
        }

        private void drain() {
            while (true) {
                Runnable next;
                synchronized (this) {
                    next = waiting.poll();
                    if (next == null) {
                        running = false;
                        break;
                    }
                }
                try {
                    next.run();
                } catch (RuntimeException e) {
                    LOG.atError().addKeyValue("cause", e.getClass().getName()).log("frame handling failed");
                }
            }
            lineIdle();
        }
    }
}
