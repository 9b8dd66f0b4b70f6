package io.pagenow.javalin;

import io.pagenow.core.presence.port.in.Presence;
import io.pagenow.protocol.Failure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/** The periodic chores of a node: the presence timeout sweep, then each store's own chore. */
final class SweepSchedule {

    private static final Logger LOG = LoggerFactory.getLogger(SweepSchedule.class);

    private final IntSupplier sweep;
    private final List<Stores.Chore> chores;
    private final Presence presence;
    private final ScheduledExecutorService sweeper =
            Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("presence-sweep"));

    /** @param sweep the presence sweep, counted in the metrics; returns how many users it took offline */
    SweepSchedule(IntSupplier sweep, List<Stores.Chore> chores, Presence presence) {
        this.sweep = sweep;
        this.chores = List.copyOf(chores);
        this.presence = presence;
    }

    void start(Duration interval) {
        long millis = interval.toMillis();
        sweeper.scheduleWithFixedDelay(this::runQuietly, millis, millis, TimeUnit.MILLISECONDS);
    }

    void stop() {
        sweeper.shutdownNow();
    }

    /** The schedule's work: the sweep, then each store's chore, each failing on its own. */
    private void runQuietly() {
        try {
            int taken = sweep.getAsInt();
            if (taken > 0) {
                LOG.atInfo().addKeyValue("users", taken).log("presence sweep took users offline");
            }
        } catch (RuntimeException e) {
            // Failure.of logs it; the next sweep tries again.
            Failure.of(e);
        }
        for (Stores.Chore chore : chores) {
            try {
                int done = chore.work().applyAsInt(presence);
                if (done > 0) {
                    LOG.atInfo().addKeyValue("chore", chore.name()).addKeyValue("count", done).log("store chore done");
                }
            } catch (RuntimeException e) {
                LOG.atWarn().addKeyValue("chore", chore.name()).addKeyValue("status", Failure.of(e).status())
                        .log("store chore failed; retried on the next sweep");
            }
        }
    }
}
