package io.pagenow.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;

/**
 * Connections: N sockets, half chat and half presence, each user holding two of each (tabs);
 * opened on an open-loop schedule at a fixed rate, then held while every socket sends
 * heartbeats. Reports the connect rate and latency (from the intended connect time to the
 * open socket), and the server's heap after a full GC and its resident memory, per open socket,
 * against a baseline taken just before. Nothing lost means: every socket opened and was still
 * open at the end, and no heartbeat drew an error.
 */
final class ConnectionsScenario implements Scenario {

    static final int SOCKETS_PER_USER = 4;

    private final Profile profile;
    private final Population population;

    ConnectionsScenario(Profile profile) {
        this.profile = profile;
        int users = Math.max(4, (profile.sockets() + SOCKETS_PER_USER - 1) / SOCKETS_PER_USER);
        this.population = Population.circulant("conn-", users + users % 2, 2);
    }

    @Override
    public String name() {
        return "connections";
    }

    @Override
    public Population population() {
        return population;
    }

    @Override
    public Map<String, Object> run(Target target) throws Exception {
        int n = profile.sockets();
        long pid = target.server().pid();
        List<String> users = population.users();
        Errors errors = new Errors();
        Latency connectLatency = new Latency(0); // the connect storm is the measurement: no warm-up
        LongAdder failed = new LongAdder();
        LongAdder generatorFailed = new LongAdder();
        LongAccumulator lastOpen = new LongAccumulator(Math::max, Long.MIN_VALUE);
        BenchSocket[] sockets = new BenchSocket[n];
        Map<String, Object> result = new LinkedHashMap<>();

        try (Wire wire = target.wire(4, 3)) {
            Map<String, String> tokens = wire.tokens(users, 16);
            result.put("settle_s", ProcStats.settle(pid));
            long heapBefore = ProcessMemory.heapAfterGc(pid);
            long rssBefore = ProcessMemory.residentBytes(pid);
            long fdsBefore = ProcStats.openFiles(pid);
            checkGeneratorFiles(n);

            BenchSocket.Handler handler = (socket, text, now) -> {
                Frame frame = Frame.parse(text);
                if ("error".equals(frame.type())) {
                    errors.errorEvent(frame);
                }
            };
            CompletableFuture<?>[] opening = new CompletableFuture<?>[n];
            CpuWindow connectCpu = target.cpuWindow();
            OpenLoop.Outcome loop = OpenLoop.run(n, profile.connectRate(), (i, due) -> {
                int j = (int) i;
                String user = users.get(j / SOCKETS_PER_USER);
                String path = j % 2 == 0 ? "chat" : "presence";
                opening[j] = wire.open(path, user, tokens.get(user), j, handler, errors).whenComplete((socket, e) -> {
                    long now = System.nanoTime();
                    if (e != null) {
                        countFailure(Sockets.whyNotOpened(e), failed, generatorFailed, errors);
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
            long opened = Stream.of(sockets).filter(s -> s != null).count();
            Map<String, Object> cpuConnect = connectCpu.close(opened);

            CpuWindow holdCpu = target.cpuWindow();
            int every = profile.heartbeatSeconds();
            long beats = (long) n * Math.max(1, profile.holdSeconds() / every);
            OpenLoop.Outcome heartbeats = OpenLoop.run(beats, n / (double) every, (i, due) -> {
                BenchSocket socket = sockets[(int) (i % n)];
                if (socket != null) {
                    socket.send("{\"action\":\"heartbeat\"}");
                }
            });
            Map<String, Object> cpuHold = holdCpu.close();
            long heapAfter = ProcessMemory.heapAfterGc(pid);
            long rssAfter = ProcessMemory.residentBytes(pid);
            long fdsAfter = ProcStats.openFiles(pid);
            String metric;
            try {
                metric = target.server().get("/metrics").body();
            } catch (RuntimeException e) {
                metric = "";
            }
            long dropped = Sockets.dropped(sockets);
            boolean settled = Stream.of(opening).allMatch(CompletableFuture::isDone);
            Sockets.closeAll(sockets);

            result.put("sockets_target", n);
            result.put("users", users.size());
            result.put("opened", opened);
            result.put("connect_failed", failed.sum());
            result.put("generator_failed", generatorFailed.sum());
            loop.putRates(result, profile.connectRate(), opened, lastOpen.get());
            result.put("latency", connectLatency.summary());
            result.put("heartbeats_sent", heartbeats.issued());
            result.put("heap_before_bytes", heapBefore);
            result.put("heap_after_bytes", heapAfter);
            result.put("heap_per_socket_bytes", opened == 0 ? 0 : (heapAfter - heapBefore) / opened);
            result.put("rss_before_bytes", rssBefore);
            result.put("rss_after_bytes", rssAfter);
            result.put("rss_per_socket_bytes", ProcessMemory.perSocket(rssBefore, rssAfter, opened));
            result.put("server_open_files_before", fdsBefore);
            result.put("server_open_files_after", fdsAfter);
            result.put("server_metric_connections", Metrics.sum(metric, "connection"));
            result.put("cpu_connect", cpuConnect);
            result.put("cpu", cpuHold);
            result.put("sockets_dropped", dropped);
            // A socket the generator could not open is the harness's fault, reported apart (and
            // failing the run), not the server's loss.
            result.put("lost", (n - opened - generatorFailed.sum()) + dropped);
            result.put("errors", errors.total());
            result.put("errors_by_kind", errors.byKind());
            result.put("complete", settled);
        }
        return result;
    }

    /** A connect that failed: the server's (an error, and lost) or the generator's own (apart). */
    static void countFailure(String why, LongAdder failed, LongAdder generatorFailed, Errors errors) {
        if (Sockets.isGeneratorFault(why)) {
            generatorFailed.increment();
        } else {
            failed.increment();
            errors.add(why);
        }
    }

    /**
     * Fails before the storm when this process cannot hold {@code sockets} more open files: a
     * connect refused by the generator's own limit would read as the server's failure.
     */
    static void checkGeneratorFiles(int sockets) {
        long self = ProcessHandle.current().pid();
        long limit = ProcStats.openFilesLimit(self);
        long open = ProcStats.openFiles(self);
        // Headroom for the HTTP clients' selectors, /proc reads, logs and the JDK's own files.
        if (limit > 0 && open >= 0 && limit - open < sockets + 256L) {
            throw new IllegalStateException("harness: the load generator has " + (limit - open) + " free file descriptors ("
                    + open + " open of " + limit + ") for " + sockets + " sockets");
        }
    }
}
