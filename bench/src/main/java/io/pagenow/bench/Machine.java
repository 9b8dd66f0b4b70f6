package io.pagenow.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the figures were measured on: the machine as a whole, from /proc and the stores' own answers. */
final class Machine {

    private Machine() {
    }

    static Map<String, Object> describe(Psql pg, Redis redis) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cores", cores());
        m.put("generator_cores", Runtime.getRuntime().availableProcessors());
        m.put("cpu", cpuModel());
        long memory = totalMemoryBytes();
        m.put("memory_gib", Math.round(memory / (1024.0 * 1024 * 1024) * 10) / 10.0);
        m.put("java", System.getProperty("java.runtime.version") + " (" + System.getProperty("java.vm.name") + ")");
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        m.put("postgresql", quietly(() -> pg.sqlIn("postgres", "SHOW server_version;")));
        m.put("redis", quietly(() -> redis.cli("INFO", "server").lines()
                .filter(l -> l.startsWith("redis_version:")).findFirst().orElse("?").substring("redis_version:".length())));
        m.put("commit", quietly(() -> Command.run(List.of("git", "rev-parse", "--short", "HEAD"), Duration.ofSeconds(10)).strip()));
        m.put("load_average_at_start", loadAverage());
        m.put("open_files_limit", quietly(() -> Command.run(List.of("sh", "-c", "ulimit -n"), Duration.ofSeconds(10)).strip()));
        return m;
    }

    /** The 1, 5 and 15 minute load averages, as /proc/loadavg has them. */
    static String loadAverage() {
        try {
            return String.join(" ", List.of(Files.readString(Path.of("/proc/loadavg")).split(" ")).subList(0, 3));
        } catch (IOException e) {
            return "?";
        }
    }

    /** Busy and total jiffies of the whole machine, from /proc/stat's first line. */
    static long[] busyAndTotalJiffies() {
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
    static int cores() {
        try {
            return cores(Files.readString(Path.of("/proc/stat")));
        } catch (IOException e) {
            return Runtime.getRuntime().availableProcessors();
        }
    }

    static int cores(String procStat) {
        int cores = 0;
        for (String line : procStat.split("\n")) {
            if (line.startsWith("cpu") && line.length() > 3 && Character.isDigit(line.charAt(3))) {
                cores++;
            }
        }
        return Math.max(1, cores);
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

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).strip())
                    .findFirst().orElse("?");
        } catch (IOException e) {
            return "?";
        }
    }

    private static String quietly(java.util.function.Supplier<String> what) {
        try {
            return what.get();
        } catch (RuntimeException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }
}
