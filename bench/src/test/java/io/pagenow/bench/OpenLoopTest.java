package io.pagenow.bench;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OpenLoopTest {

    @Test
    void dueTimesFollowTheRateFromTheStartNotFromTheLastSend() {
        assertEquals(1_000L, OpenLoop.dueNanos(1_000, 0, 10));
        assertEquals(1_000L + 100_000_000L, OpenLoop.dueNanos(1_000, 1, 10));
        assertEquals(1_000L + 1_500_000_000L, OpenLoop.dueNanos(1_000, 3, 2));
    }

    @Test
    void aSlowActionDoesNotMoveTheLaterItemsIntendedTimes() {
        List<Long> intended = new ArrayList<>();
        OpenLoop.Outcome outcome = OpenLoop.run(5, 1_000_000, (i, due) -> {
            intended.add(due);
            if (i == 1) {
                // A stall of the issuing thread: the items after it keep their schedule.
                long until = System.nanoTime() + 2_000_000;
                while (System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
            }
        });

        assertEquals(5, outcome.issued());
        for (int i = 1; i < intended.size(); i++) {
            assertEquals(1_000L, intended.get(i) - intended.get(i - 1), "item " + i);
        }
        assertTrue(outcome.maxLagNanos() > 0, "the items after the stall went out late and that shows");
    }
}
