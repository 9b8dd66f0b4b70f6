package io.pagenow.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What /proc and jcmd tell about a process: CPU time, resident memory, heap after a GC. */
final class ProcStats {

    private static final Pattern HEAP_USED = Pattern.compile("heap\\s+total\\s+(\\d+)K,\\s+used\\s+(\\d+)K");
    private static final long TICKS_PER_SECOND = 100; // USER_HZ: 100 on every Linux this runs on
    // Not availableProcessors(): under taskset (bench/run peers) that is the generator's one core,
    // which made everything else on the machine read as zero.
    private static final int MACHINE_CORES = machineCores();

    private ProcStats() {
    }

    /** CPU seconds (user + system) the process has used so far. */
    static double cpuSeconds(long pid) {
        String stat = stat(pid);
        return stat == null ? Double.NaN : cpuSeconds(stat, false);
    }

    /**
     * CPU seconds of a process tree one level deep, as PostgreSQL's is (the postmaster forks a
     * backend per connection): the parent, the children it has already waited for (their time
     * moved into its cutime and cstime when they exited) and every child still running. A backend
     * that ends inside a window is so counted once, before and after its exit alike.
     */
    static double treeCpuSeconds(long root) {
        String rootStat = stat(root);
        if (rootStat == null) {
            return Double.NaN;
        }
        double total = cpuSeconds(rootStat, true);
        try (var entries = Files.list(Path.of("/proc"))) {
            for (Path entry : (Iterable<Path>) entries::iterator) {
                String name = entry.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                String child = stat(Long.parseLong(name));
                if (child != null && parentOf(child) == root) {
                    total += cpuSeconds(child, false);
                }
            }
        } catch (IOException e) {
            return Double.NaN;
        }
        return total;
    }

    /**
     * Seconds the process's threads have spent runnable but waiting for a CPU (the second field of
     * each /proc/<pid>/task/<tid>/schedstat; threads that have exited are not counted). A process
     * that uses little CPU yet answers slowly is either waiting for something or for a core: this
     * tells the two apart.
     */
    static double runQueueWaitSeconds(long pid) {
        long nanos = 0;
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    nanos += Long.parseLong(Files.readString(task.resolve("schedstat")).trim().split(" ")[1]);
                } catch (IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException e) {
            return Double.NaN;
        }
        return nanos / 1e9;
    }

    /** /proc/<pid>/stat, or null when the process is gone. */
    private static String stat(long pid) {
        try {
            return Files.readString(Path.of("/proc/" + pid + "/stat"));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The fields after the command name, which may hold spaces and parentheses: field 3 is index 0. */
    private static String[] fieldsAfterName(String stat) {
        return stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
    }

    /** utime + stime, and with {@code reapedChildren} cutime + cstime, of one stat line, in seconds. */
    static double cpuSeconds(String stat, boolean reapedChildren) {
        String[] fields = fieldsAfterName(stat);
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        if (reapedChildren) {
            ticks += Long.parseLong(fields[13]) + Long.parseLong(fields[14]);
        }
        return ticks / (double) TICKS_PER_SECOND;
    }

    static long parentOf(String stat) {
        return Long.parseLong(fieldsAfterName(stat)[1]);
    }

    /** Busy and total jiffies of the whole machine, from /proc/stat's first line. */
    static long[] machineJiffies() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < f.length && i <= 8; i++) {
                total += Long.parseLong(f[i]);
            }
            long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
            return new long[] {total - idle, total};
        } catch (IOException | RuntimeException e) {
            return new long[] {0, 0};
        }
    }

    /** Cores of the whole machine (the {@code cpuN} lines of /proc/stat), whatever this process is pinned to. */
    static int machineCores() {
        try {
            return machineCores(Files.readString(Path.of("/proc/stat")));
        } catch (IOException e) {
            return Runtime.getRuntime().availableProcessors();
        }
    }

    static int machineCores(String procStat) {
        int cores = 0;
        for (String line : procStat.split("\n")) {
            if (line.startsWith("cpu") && line.length() > 3 && Character.isDigit(line.charAt(3))) {
                cores++;
            }
        }
        return Math.max(1, cores);
    }

    /** Open file descriptors of a process, -1 when /proc does not tell. */
    static long openFiles(long pid) {
        try (java.util.stream.Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            return fds.count();
        } catch (IOException e) {
            return -1;
        }
    }

    /** The soft limit on open files of a process (/proc/PID/limits), -1 when unknown or unlimited. */
    static long openFilesLimit(long pid) {
        try {
            return openFilesLimit(Files.readString(Path.of("/proc/" + pid + "/limits")));
        } catch (IOException e) {
            return -1;
        }
    }

    static long openFilesLimit(String limits) {
        for (String line : limits.split("\n")) {
            if (line.startsWith("Max open files")) {
                String[] f = line.substring("Max open files".length()).trim().split("\\s+");
                return f[0].equals("unlimited") ? -1 : Long.parseLong(f[0]);
            }
        }
        return -1;
    }

    /**
     * Resident memory per socket from samples before the sockets opened and while they were all
     * open, or {@code null} when that is no measurement: a sample failed (-1), no socket opened,
     * or the process holds less than before (it returned memory of earlier work to the system
     * meanwhile, so the difference says nothing about the sockets).
     */
    static Long perSocket(long before, long after, long sockets) {
        if (before <= 0 || after <= 0 || sockets <= 0 || after < before) {
            return null;
        }
        return (after - before) / sockets;
    }

    static long residentBytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
                }
            }
        } catch (IOException e) {
            // the process is gone
        }
        return -1;
    }

    /** Runs a full collection in the process, then returns its used heap in bytes. */
    static long heapAfterGc(long pid) {
        Command.run(List.of("jcmd", String.valueOf(pid), "GC.run"), Duration.ofMinutes(2));
        return heapUsed(Command.run(List.of("jcmd", String.valueOf(pid), "GC.heap_info"), Duration.ofMinutes(1)));
    }

    static long heapUsed(String heapInfo) {
        Matcher m = HEAP_USED.matcher(heapInfo);
        if (!m.find()) {
            throw new IllegalStateException("no heap figure in jcmd GC.heap_info output");
        }
        return Long.parseLong(m.group(2)) * 1024;
    }

    static long totalMemoryBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
                }
            }
        } catch (IOException e) {
            // not Linux
        }
        return -1;
    }

    /**
     * Waits until the server is idle (under 0.15 cores for two half-second samples in a row, at
     * most a minute), so a scenario measures its own work and not the tail of its set-up (sockets
     * still opening, a history still being pushed). Polling a process's CPU has no event to wait on.
     *
     * @return the seconds it took
     */
    static double settle(long pid) {
        long start = System.nanoTime();
        int quiet = 0;
        double before = cpuSeconds(pid);
        while (quiet < 2 && System.nanoTime() - start < 60_000_000_000L) {
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            double now = cpuSeconds(pid);
            quiet = (now - before) / 0.5 < 0.15 ? quiet + 1 : 0;
            before = now;
        }
        return Math.round((System.nanoTime() - start) / 1e7) / 100.0;
    }

    /**
     * The store processes whose CPU a window counts beside the server's: PostgreSQL's postmaster
     * (its backends are its children) and the Redis server; 0 where not found (then not counted).
     * Both are the shared services on loopback, so whatever else uses them in the window is
     * counted too: read their figures with the load average.
     */
    record Stores(long postgresPid, long redisPid) {

        static final Stores NONE = new Stores(0, 0);

        /** The postmaster from its pid file in the data directory, Redis from its own INFO. */
        static Stores find(Psql pg, Redis redis) {
            long postgres = 0;
            long redisPid = 0;
            try {
                String dataDirectory = pg.sqlIn("postgres", "SHOW data_directory;");
                postgres = Long.parseLong(Files.readAllLines(Path.of(dataDirectory, "postmaster.pid")).get(0).strip());
            } catch (IOException | RuntimeException e) {
                System.err.println("PostgreSQL's process not found, its CPU is not counted: " + e.getMessage());
            }
            try {
                redisPid = redisPid(redis.cli("INFO", "server"));
            } catch (RuntimeException e) {
                System.err.println("Redis's process not found, its CPU is not counted: " + e.getMessage());
            }
            return new Stores(postgres, redisPid);
        }

        static long redisPid(String info) {
            return info.lines().filter(l -> l.startsWith("process_id:")).findFirst()
                    .map(l -> Long.parseLong(l.substring("process_id:".length()).strip()))
                    .orElseThrow(() -> new IllegalStateException("no process_id in INFO server"));
        }

        double postgresSeconds() {
            return postgresPid == 0 ? Double.NaN : treeCpuSeconds(postgresPid);
        }

        double redisSeconds() {
            return redisPid == 0 ? Double.NaN : cpuSeconds(redisPid);
        }
    }

    /**
     * Samples the CPU time of the server, of this process (the load generator), of PostgreSQL and
     * Redis, and the machine's busy share, over an interval; with the items done in it, each
     * process's CPU per item.
     */
    static final class CpuWindow {
        private final long serverPid;
        private final long selfPid = ProcessHandle.current().pid();
        private final Stores stores;
        private final long startNanos = System.nanoTime();
        private final double server0;
        private final double self0;
        private final double postgres0;
        private final double redis0;
        private final long[] machine0;
        private final double serverWait0;
        private final double selfWait0;

        CpuWindow(long serverPid) {
            this(serverPid, Stores.NONE);
        }

        CpuWindow(long serverPid, Stores stores) {
            this.serverPid = serverPid;
            this.stores = stores;
            this.server0 = cpuSeconds(serverPid);
            this.self0 = cpuSeconds(selfPid);
            this.postgres0 = stores.postgresSeconds();
            this.redis0 = stores.redisSeconds();
            this.machine0 = machineJiffies();
            this.serverWait0 = runQueueWaitSeconds(serverPid);
            this.selfWait0 = runQueueWaitSeconds(selfPid);
        }

        java.util.Map<String, Object> close() {
            return close(0);
        }

        /** @param items what the window did (messages, updates, answers, connects); 0: no per-item figures */
        java.util.Map<String, Object> close(long items) {
            double wall = (System.nanoTime() - startNanos) / 1e9;
            long[] machine = machineJiffies();
            double server = cpuSeconds(serverPid) - server0;
            double self = cpuSeconds(selfPid) - self0;
            double postgres = stores.postgresSeconds() - postgres0;
            double redis = stores.redisSeconds() - redis0;
            java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
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
            m.put("runqueue_wait_s", Map.of("server", round(runQueueWaitSeconds(serverPid) - serverWait0),
                    "loadgen", round(runQueueWaitSeconds(selfPid) - selfWait0)));
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

        private static java.util.Map<String, Object> seconds(double server, double self, double postgres, double redis) {
            java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
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
        static java.util.Map<String, Object> perItem(double server, double self, double postgres, double redis,
                                                     long items) {
            java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
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
}
