package io.pagenow.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Samples the CPU time of the server, of this process (the load generator), of PostgreSQL and
 * Redis, and the machine's busy share, over an interval; with the items done in it, each
 * process's CPU per item.
 */
final class CpuWindow {

    // Not availableProcessors(): under taskset (bench/run peers) that is the generator's one core,
    // which made everything else on the machine read as zero.
    private static final int MACHINE_CORES = Machine.cores();

    private final long serverPid;
    private final long selfPid = ProcessHandle.current().pid();
    private final StoreProcesses stores;
    private final long startNanos = System.nanoTime();
    private final double server0;
    private final double self0;
    private final double postgres0;
    private final double redis0;
    private final long[] machine0;
    private final Map<Long, Long> serverWait0;
    private final Map<Long, Long> selfWait0;

    CpuWindow(long serverPid) {
        this(serverPid, StoreProcesses.NONE);
    }

    CpuWindow(long serverPid, StoreProcesses stores) {
        this.serverPid = serverPid;
        this.stores = stores;
        this.server0 = ProcStats.cpuSeconds(serverPid);
        this.self0 = ProcStats.cpuSeconds(selfPid);
        this.postgres0 = stores.postgresSeconds();
        this.redis0 = stores.redisSeconds();
        this.machine0 = Machine.busyAndTotalJiffies();
        this.serverWait0 = ProcStats.runQueueWaitByThread(serverPid);
        this.selfWait0 = ProcStats.runQueueWaitByThread(selfPid);
    }

    Map<String, Object> close() {
        return close(0);
    }

    /** @param items what the window did (messages, updates, answers, connects); 0: no per-item figures */
    Map<String, Object> close(long items) {
        double wall = (System.nanoTime() - startNanos) / 1e9;
        long[] machine = Machine.busyAndTotalJiffies();
        double server = ProcStats.cpuSeconds(serverPid) - server0;
        double self = ProcStats.cpuSeconds(selfPid) - self0;
        double postgres = stores.postgresSeconds() - postgres0;
        double redis = stores.redisSeconds() - redis0;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("server_cores", round(server / wall));
        m.put("loadgen_cores", round(self / wall));
        long total = machine[1] - machine0[1];
        double busy = total == 0 ? 0.0 : (machine[0] - machine0[0]) / (double) total;
        m.put("machine_busy", round(busy));
        // Everything else on the machine: PostgreSQL and Redis when they are in play, and any
        // other process competing for the same cores (which makes the run's figures worse).
        double others = busy * MACHINE_CORES
                - (Double) m.get("server_cores") - (Double) m.get("loadgen_cores");
        m.put("other_cores", round(Math.max(0, others)));
        m.put("wall_s", round(wall));
        m.put("cpu_s", seconds(server, self, postgres, redis));
        // Waiting for a core while runnable, summed over threads: on a machine busy with other
        // work this, not the server, is often where the latency went.
        m.put("runqueue_wait_s", Map.of(
                "server", round(ProcStats.runQueueWaitSeconds(serverWait0, ProcStats.runQueueWaitByThread(serverPid))),
                "loadgen", round(ProcStats.runQueueWaitSeconds(selfWait0, ProcStats.runQueueWaitByThread(selfPid)))));
        if (!Double.isNaN(postgres)) {
            m.put("postgres_cores", round(postgres / wall));
        }
        if (!Double.isNaN(redis)) {
            m.put("redis_cores", round(redis / wall));
        }
        if (items > 0) {
            m.put("items", items);
            m.put("us_per_item", perItem(server, self, postgres, redis, items));
        }
        m.put("load_average", Machine.loadAverage());
        return m;
    }

    private static Map<String, Object> seconds(double server, double self, double postgres, double redis) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("server", round(server));
        m.put("loadgen", round(self));
        if (!Double.isNaN(postgres)) {
            m.put("postgres", round(postgres));
        }
        if (!Double.isNaN(redis)) {
            m.put("redis", round(redis));
        }
        return m;
    }

    /** Microseconds of CPU per item for each process (stores left out where not found). */
    static Map<String, Object> perItem(double server, double self, double postgres, double redis, long items) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("server", micros(server, items));
        m.put("loadgen", micros(self, items));
        if (!Double.isNaN(postgres)) {
            m.put("postgres", micros(postgres, items));
        }
        if (!Double.isNaN(redis)) {
            m.put("redis", micros(redis, items));
        }
        return m;
    }

    private static double micros(double seconds, long items) {
        return Math.round(seconds * 1e6 / items * 10) / 10.0;
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
