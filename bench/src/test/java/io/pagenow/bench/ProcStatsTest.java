package io.pagenow.bench;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProcStatsTest {

    /** A postmaster's stat line as Linux writes it: 250 + 50 ticks of its own, 700 + 300 of reaped backends. */
    private static final String POSTMASTER = "812 (postgres) S 1 812 812 0 -1 4194560 9000 400000 0 3 "
            + "250 50 700 300 20 0 1 0 1200 230000000 4000 18446744073709551615 1 1 0 0 0 0 16384 "
            + "16384 1 0 0 0 17 0 0 0 0 0 0";

    @Test
    void readsUserAndSystemTimeAfterACommandNameWithSpacesAndParentheses() {
        String stat = "4242 (java (main) x) S 1 4242 4242 0 -1 4194560 1 0 0 0 1234 766 5 6 20 0 40 0 1 2 3";

        assertEquals(20.0, ProcStats.cpuSeconds(stat, false));
        assertEquals(1L, ProcStats.parentOf(stat));
    }

    @Test
    void aTreeCountsTheChildrenItHasWaitedFor() {
        assertEquals(3.0, ProcStats.cpuSeconds(POSTMASTER, false));
        assertEquals(13.0, ProcStats.cpuSeconds(POSTMASTER, true));
    }

    @Test
    void theTreeOfThisProcessHoldsItsOwnTime() {
        long self = ProcessHandle.current().pid();
        double own = ProcStats.cpuSeconds(self);

        assertTrue(ProcStats.treeCpuSeconds(self) >= own);
        assertTrue(Double.isNaN(ProcStats.treeCpuSeconds(Integer.MAX_VALUE)));
    }

    @Test
    void theWaitForACoreCountsEachThreadsGrowthAndNeverGoesBelowZeroWhenThreadsEnd() {
        // Thread 1 waited 2 s more, thread 2 ended after 50 s of waiting, thread 3 was born with 1 s.
        Map<Long, Long> before = Map.of(1L, 10_000_000_000L, 2L, 50_000_000_000L);
        Map<Long, Long> after = Map.of(1L, 12_000_000_000L, 3L, 1_000_000_000L);

        assertEquals(3.0, ProcStats.runQueueWaitSeconds(before, after));
        assertTrue(Double.isNaN(ProcStats.runQueueWaitSeconds(before, null)));
    }

    @Test
    void theWaitForACoreOfThisProcessIsReadPerThread() {
        Map<Long, Long> waits = ProcStats.runQueueWaitByThread(ProcessHandle.current().pid());

        assertTrue(waits.size() > 1, () -> "threads of this JVM: " + waits.keySet());
        assertTrue(waits.values().stream().allMatch(nanos -> nanos >= 0));
    }

    @Test
    void findsRedisItsPidInInfoServer() {
        String info = "# Server\r\nredis_version:7.0.15\r\nprocess_id:3141\r\ntcp_port:6379\r\n";

        assertEquals(3141L, StoreProcesses.redisPid(info));
    }

    @Test
    void cpuPerItemIsMicrosecondsOfEachProcessPerItem() {
        Map<String, Object> perItem = CpuWindow.perItem(2.0, 0.5, 1.0, Double.NaN, 10_000);

        assertEquals(200.0, perItem.get("server"));
        assertEquals(50.0, perItem.get("loadgen"));
        assertEquals(100.0, perItem.get("postgres"));
        assertTrue(!perItem.containsKey("redis"), "a store not found is left out, not shown as 0");
    }

    @Test
    void aWindowOverThisProcessCountsItsWork() {
        CpuWindow window = new CpuWindow(ProcessHandle.current().pid());
        long spin = System.nanoTime() + 300_000_000L;
        double x = 0;
        while (System.nanoTime() < spin) {
            x += Math.sqrt(x + 1);
        }
        Map<String, Object> cpu = window.close(1000);

        assertTrue(x > 0);
        assertTrue(((Number) ((Map<?, ?>) cpu.get("us_per_item")).get("server")).doubleValue() > 0, cpu.toString());
        assertEquals(1000L, cpu.get("items"));
    }
}
