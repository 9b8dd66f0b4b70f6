package io.pagenow.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** What /proc tells about a process's CPU and files, and waiting until it is idle. */
final class ProcStats {

    private static final long TICKS_PER_SECOND = 100; // USER_HZ: 100 on every Linux this runs on

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
     * Nanoseconds each of the process's threads has spent runnable but waiting for a CPU, by thread
     * id (the second field of /proc/<pid>/task/<tid>/schedstat); null when the process is gone. A
     * process that uses little CPU yet answers slowly is either waiting for something or for a
     * core: this tells the two apart.
     */
    static Map<Long, Long> runQueueWaitByThread(long pid) {
        Map<Long, Long> waits = new HashMap<>();
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    waits.put(Long.parseLong(task.getFileName().toString()),
                            Long.parseLong(Files.readString(task.resolve("schedstat")).trim().split(" ")[1]));
                } catch (IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException e) {
            return null;
        }
        return waits;
    }

    /**
     * Seconds waited for a CPU between two {@link #runQueueWaitByThread} samples: each thread's
     * growth, all of it for a thread born in between; a thread that ended in between is not
     * counted (its figures went with it). Never negative: subtracting two sums instead went below
     * zero whenever threads ended in the window.
     */
    static double runQueueWaitSeconds(Map<Long, Long> before, Map<Long, Long> after) {
        if (before == null || after == null) {
            return Double.NaN;
        }
        long nanos = 0;
        for (Map.Entry<Long, Long> thread : after.entrySet()) {
            nanos += Math.max(0, thread.getValue() - before.getOrDefault(thread.getKey(), 0L));
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
}
