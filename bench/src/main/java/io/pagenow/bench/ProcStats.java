package io.pagenow.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            // The command name (field 2) may hold spaces; fields after its closing parenthesis are fixed.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long utime = Long.parseLong(fields[11]);
            long stime = Long.parseLong(fields[12]);
            return (utime + stime) / (double) TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
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

    /** Samples the CPU use of the server, of this process and of the machine over an interval. */
    static final class CpuWindow {
        private final long serverPid;
        private final long selfPid = ProcessHandle.current().pid();
        private final long startNanos = System.nanoTime();
        private final double server0;
        private final double self0;
        private final long[] machine0;

        CpuWindow(long serverPid) {
            this.serverPid = serverPid;
            this.server0 = cpuSeconds(serverPid);
            this.self0 = cpuSeconds(selfPid);
            this.machine0 = machineJiffies();
        }

        java.util.Map<String, Object> close() {
            double wall = (System.nanoTime() - startNanos) / 1e9;
            long[] machine = machineJiffies();
            java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
            m.put("server_cores", round((cpuSeconds(serverPid) - server0) / wall));
            m.put("loadgen_cores", round((cpuSeconds(selfPid) - self0) / wall));
            long total = machine[1] - machine0[1];
            double busy = total == 0 ? 0.0 : (machine[0] - machine0[0]) / (double) total;
            m.put("machine_busy", round(busy));
            // Everything else on the machine: PostgreSQL and Redis when they are in play, and any
            // other process competing for the same cores (which makes the run's figures worse).
            double others = busy * MACHINE_CORES
                    - (Double) m.get("server_cores") - (Double) m.get("loadgen_cores");
            m.put("other_cores", round(Math.max(0, others)));
            return m;
        }

        private static double round(double v) {
            return Math.round(v * 100) / 100.0;
        }
    }
}
