package io.pagenow.bench;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What bench/run peers (run 20261202T160727Z) reported wrongly, each from what that run recorded:
 * the generator's own limit read as the server's failure, a memory figure below zero, an earlier
 * step's presence counted as this step's, the machine's other work read as none.
 */
class PeersHarnessTest {

    /** The connect storm's result as that run recorded it for ejabberd, with the fields the harness adds now. */
    private static Map<String, Object> recordedStorm() {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("opened", 4181L);
        r.put("generator_failed", 5819L);
        r.put("rss_before_bytes", 435453952L);
        r.put("rss_after_bytes", -1L);
        r.put("rss_per_socket_bytes", ProcessMemory.perSocket(435453952L, -1L, 4181L));
        r.put("sessions_left_after_kick", 0L);
        return r;
    }

    @Test
    void aSocketTheJdkClientCouldNotCreateIsTheGeneratorsFaultNotTheServers() {
        // What the JDK's HTTP client throws when this process is out of file descriptors.
        Throwable outOfFiles = new CompletionException(new InternalError(new IOException("Too many open files")));
        Throwable refused = new CompletionException(new ConnectException("Connection refused"));

        String why = Sockets.whyNotOpened(outOfFiles);
        assertEquals("generator could not open a socket (IOException: Too many open files)", why);
        assertTrue(Sockets.isGeneratorFault(why));
        assertEquals("connect failed ConnectException", Sockets.whyNotOpened(refused));
        assertFalse(Sockets.isGeneratorFault(Sockets.whyNotOpened(refused)));
    }

    @Test
    void theGeneratorsFailuresAreCountedApartFromTheServersErrors() {
        java.util.concurrent.atomic.LongAdder failed = new java.util.concurrent.atomic.LongAdder();
        java.util.concurrent.atomic.LongAdder generator = new java.util.concurrent.atomic.LongAdder();
        Errors errors = new Errors();

        ConnectionsScenario.countFailure("generator could not open a socket (IOException: Too many open files)",
                failed, generator, errors);
        ConnectionsScenario.countFailure("connect refused 503", failed, generator, errors);

        assertEquals(1, generator.sum());
        assertEquals(1, failed.sum());
        assertEquals(Map.of("connect refused 503", 1L), errors.byKind());
    }

    @Test
    void memoryPerSocketIsNoFigureWhenASampleFailedOrTheProcessShrank() {
        assertNull(ProcessMemory.perSocket(435453952L, -1L, 4181L)); // was -104,150 bytes, "-101.70 KiB"
        assertNull(ProcessMemory.perSocket(500_000_000L, 400_000_000L, 10_000L));
        assertNull(ProcessMemory.perSocket(100L, 200L, 0L));
        assertEquals(81_920L, ProcessMemory.perSocket(310_923_264L, 310_923_264L + 819_200_000L, 10_000L));
    }

    @Test
    void aRunWithSuchAStepFailsAsTheHarnessesFault() {
        List<String> faults = PeersRun.harnessFaults("ejabberd/connections at 1000", recordedStorm());

        assertEquals(List.of(
                "ejabberd/connections at 1000: harness fault: the load generator could not open 5819 sockets",
                "ejabberd/connections at 1000: harness fault: resident memory per socket not measured (before "
                        + "435453952, after -1 bytes)"), faults);
        Map<String, Object> clean = recordedStorm();
        clean.put("generator_failed", 0L);
        clean.put("rss_after_bytes", 800_000_000L);
        clean.put("rss_per_socket_bytes", ProcessMemory.perSocket(435453952L, 800_000_000L, 4181L));
        clean.put("sessions_left_after_kick", 3L);
        assertEquals(List.of("ejabberd/connections at 1000: harness fault: 3 sessions still open on the server after "
                + "the step"), PeersRun.harnessFaults("ejabberd/connections at 1000", clean));
    }

    @Test
    void anEarlierStepsPresenceAnsweredToAProbeIsStaleNotADuplicate() {
        String step = "t1x2y3-";
        Xmpp.Stanza update = Xmpp.parse("<presence xmlns='jabber:client' xml:lang='en' to='u1@bench.local/r' "
                + "from='u2@bench.local/r'><status>" + XmppPresenceScenario.status(7, step) + "</status></presence>");
        // A contact's last presence from the step before, as ejabberd answers a probe: delayed.
        Xmpp.Stanza probeAnswer = Xmpp.parse("<presence xmlns='jabber:client' xml:lang='en' to='u1@bench.local/r' "
                + "from='u2@bench.local/r'><status>https://s7.example.com/p/7 t9z8-7</status><delay "
                + "from='u2@bench.local/r' stamp='2026-12-02T16:23:30.1Z' xmlns='urn:xmpp:delay'/></presence>");

        assertFalse(update.delayed());
        assertTrue(probeAnswer.delayed());
        assertEquals(PresenceScenario.url(7) + " t1x2y3-7", update.status());
        assertEquals(7, XmppPresenceScenario.itemOf(update.status(), step));
        assertEquals(XmppPresenceScenario.STALE, XmppPresenceScenario.itemOf(probeAnswer.status(), step));
        assertEquals(-1, XmppPresenceScenario.itemOf("away", step));
        assertEquals(-1, XmppPresenceScenario.itemOf("https://s.example.com/ t1x2y3-x", step));
    }

    @Test
    void logInsNotFinishedOnTheServerBeforeTheUpdatesFailTheRun() {
        Map<String, Object> step = new LinkedHashMap<>();
        step.put("roster_online", false);

        assertEquals(List.of("ejabberd/presence at 500: harness fault: not every user saw every friend online within "
                + "the drain time, so updates went out while logins were still being handled"),
                PeersRun.harnessFaults("ejabberd/presence at 500", step));
    }

    @Test
    void theMachinesCoresAreCountedFromProcStatNotFromThePinnedProcess() {
        String procStat = "cpu  209192 0 40751 90454 1795 0 6705 5212 0 0\n"
                + "cpu0 126154 0 17658 27834 184 0 3637 1751 0 0\n"
                + "cpu1 83037 0 23092 62619 1611 0 3067 3461 0 0\n"
                + "intr 3517989 0 0 0\nctxt 9143372\n";

        assertEquals(2, Machine.cores(procStat));
    }

    @Test
    void readsTheOpenFilesLimitOfAProcess() {
        String limits = "Limit                     Soft Limit           Hard Limit           Units     \n"
                + "Max processes             96363                96363                processes \n"
                + "Max open files            20000                20000                files     \n"
                + "Max locked memory         8388608              8388608              bytes     \n";

        assertEquals(20_000, ProcStats.openFilesLimit(limits));
        assertEquals(-1, ProcStats.openFilesLimit("Max open files            unlimited            unlimited            files\n"));
    }

    @Test
    void ejabberdsCachesHoldTheWholePopulationAndItsArchivePoolIsOursSize() {
        String config = EjabberdConfig.yaml(5222, new Psql("127.0.0.1", 5432, "postgres", "", "pagenow_bench_ejabberd"));

        // The default (1,000 entries) made the roster and auth caches shrink all through a run of 2,000 users.
        assertTrue(config.contains("\ncache_size: 1000000\n"), config);
        assertTrue(config.contains("\nsql_pool_size: " + Ejabberd.SQL_POOL_SIZE + "\n"), config);
    }
}
