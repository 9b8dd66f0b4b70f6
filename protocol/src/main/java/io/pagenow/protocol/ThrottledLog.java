package io.pagenow.protocol;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * At most one log line per kind of failure per interval: during an outage every request fails
 * alike, and a line for each (~1,500 per node in 15 s) buried everything else and cost the
 * console lock under load. The line that is written carries how many failures of its kind there
 * were since the previous one.
 */
public final class ThrottledLog {

    /** The interval the server's own failures are throttled to. */
    public static final Duration INTERVAL = Duration.ofSeconds(10);

    private final Duration interval;
    private final Clock clock;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    public ThrottledLog(Duration interval, Clock clock) {
        this.interval = interval;
        this.clock = clock;
    }

    /**
     * Counts one failure of {@code kind}.
     *
     * @return 0 when no line is due; else the failures of this kind since the previous line, this
     *         one included, to be logged now as {@code count}
     */
    public long count(String kind) {
        Instant now = clock.instant();
        Window window = windows.computeIfAbsent(kind, k -> new Window());
        synchronized (window) {
            window.count++;
            if (window.loggedAt != null && now.isBefore(window.loggedAt.plus(interval))) {
                return 0;
            }
            long count = window.count;
            window.count = 0;
            window.loggedAt = now;
            return count;
        }
    }

    private static final class Window {
        Instant loggedAt;
        long count;
    }
}
