package io.pagenow.javalin;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/**
 * The most sockets a node holds: {@code MAX_SOCKETS}, or by default the process's descriptor
 * limit less a reserve, so that past the cap {@code /health}, {@code /ready}, {@code /metrics},
 * REST and the stores' pools still get descriptors (the issue saw ~20,000 sockets exhaust them,
 * after which every request timed out).
 */
final class SocketCap {

    /** Descriptors kept for everything but WebSockets: a tenth of the limit, at least this many. */
    static final int MIN_RESERVE = 256;

    private SocketCap() {
    }

    static int of(int configured) {
        if (configured > 0) {
            return configured;
        }
        return fromDescriptorLimit(descriptorLimit());
    }

    static int fromDescriptorLimit(long limit) {
        if (limit <= 0) {
            return Integer.MAX_VALUE;
        }
        long reserve = Math.max(MIN_RESERVE, limit / 10);
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, limit - reserve));
    }

    private static long descriptorLimit() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.UnixOperatingSystemMXBean unix ? unix.getMaxFileDescriptorCount() : -1;
    }
}
