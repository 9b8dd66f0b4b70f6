package io.pagenow.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/** The connect storm against ejabberd, as {@link ConnectionsScenario} against ours ({@link XmppScenarios} says what is the same). */
final class XmppConnectionsScenario {

    private XmppConnectionsScenario() {
    }

    /**
     * The connect storm and the idle sockets: N sessions (4 per user, as resources) logged in at a
     * fixed rate, then held idle; resident memory of the Erlang VM per session.
     */
    static Map<String, Object> run(Ejabberd server, Profile profile) {
        int n = profile.sockets();
        List<String> users = new ConnectionsScenario(profile).population().users();
        Errors errors = new Errors();
        Latency connectLatency = new Latency(0);
        LongAdder failed = new LongAdder();
        LongAdder generatorFailed = new LongAdder();
        LongAccumulator lastOpen = new LongAccumulator(Math::max, Long.MIN_VALUE);
        BenchSocket[] sockets = new BenchSocket[n];
        Map<String, Object> result = new LinkedHashMap<>();
        long pid = server.pid();

        try (XmppClient client = new XmppClient(server.port(), Ejabberd.DOMAIN, 4, 3)) {
            result.put("settle_s", ProcStats.settle(pid));
            long rssBefore = ProcessMemory.residentBytes(pid);
            ConnectionsScenario.checkGeneratorFiles(n);
            XmppClient.Handler handler = (socket, stanza, now) -> {
                if ("error".equals(stanza.type()) || "error".equals(stanza.name())) {
                    errors.add(stanza.name() + " error " + stanza.child());
                }
            };
            CompletableFuture<?>[] opening = new CompletableFuture<?>[n];
            CpuWindow connectCpu = new CpuWindow(pid);
            OpenLoop.Outcome loop = OpenLoop.run(n, profile.connectRate(), (i, due) -> {
                int j = (int) i;
                String user = users.get(j / ConnectionsScenario.SOCKETS_PER_USER);
                opening[j] = client.open(user, Ejabberd.PASSWORD, "tab" + (j % ConnectionsScenario.SOCKETS_PER_USER), j,
                        handler, errors).whenComplete((socket, e) -> {
                    long now = System.nanoTime();
                    if (e != null) {
                        ConnectionsScenario.countFailure(Sockets.whyNotOpened(e), failed, generatorFailed, errors);
                    } else {
                        sockets[j] = socket;
                        connectLatency.record(i, due, now);
                        lastOpen.accumulate(now);
                    }
                });
            });
            try {
                CompletableFuture.allOf(opening).get(150 + n / Math.max(1, profile.connectRate()), TimeUnit.SECONDS);
            } catch (Exception e) {
                // counted per socket below
            }
            Map<String, Object> cpuConnect = connectCpu.close();
            long opened = Stream.of(sockets).filter(s -> s != null).count();
            CpuWindow holdCpu = new CpuWindow(pid);
            // Held idle: XMPP sessions need no heartbeat (ours get theirs in ConnectionsScenario).
            LockSupport.parkNanos(profile.holdSeconds() * 1_000_000_000L);
            Map<String, Object> cpuHold = holdCpu.close();
            long rssAfter = ProcessMemory.residentBytes(pid);
            long dropped = Sockets.dropped(sockets);
            boolean settled = Stream.of(opening).allMatch(CompletableFuture::isDone);
            // Not XmppScenarios.closeAll: this step's server is its own and is stopped right after,
            // so no step inherits its sessions. ejabberd kept 4 of 10,000 sessions after their
            // sockets closed and kick_user (run 20261203T072703Z); waiting for them measured nothing.
            result.put("sockets_aborted_at_close", Sockets.closeAll(sockets));
            result.put("sockets_target", n);
            result.put("users", users.size());
            result.put("opened", opened);
            result.put("connect_failed", failed.sum());
            result.put("generator_failed", generatorFailed.sum());
            loop.putRates(result, profile.connectRate(), opened, lastOpen.get());
            result.put("latency", connectLatency.summary());
            result.put("rss_before_bytes", rssBefore);
            result.put("rss_after_bytes", rssAfter);
            result.put("rss_per_socket_bytes", ProcessMemory.perSocket(rssBefore, rssAfter, opened));
            result.put("cpu_connect", cpuConnect);
            result.put("cpu", cpuHold);
            result.put("sockets_dropped", dropped);
            result.put("lost", (n - opened - generatorFailed.sum()) + dropped);
            result.put("errors", errors.total());
            result.put("errors_by_kind", errors.byKind());
            result.put("complete", settled);
        }
        return result;
    }
}
