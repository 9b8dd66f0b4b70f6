package io.pagenow.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The memory of a process, as /proc and jcmd tell it: resident memory, heap after a full GC. */
final class ProcessMemory {

    private static final Pattern HEAP_USED = Pattern.compile("heap\\s+total\\s+(\\d+)K,\\s+used\\s+(\\d+)K");

    private ProcessMemory() {
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
}
