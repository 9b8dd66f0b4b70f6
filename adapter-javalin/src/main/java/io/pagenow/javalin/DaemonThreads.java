package io.pagenow.javalin;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** The server's own threads: daemons, so none of them keeps the JVM up, named for thread dumps. */
final class DaemonThreads {

    private DaemonThreads() {
    }

    /** Threads named {@code name-1}, {@code name-2}, ... */
    static ThreadFactory named(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
