package io.pagenow.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The store processes whose CPU a window counts beside the server's: PostgreSQL's postmaster
 * (its backends are its children) and the Redis server; 0 where not found (then not counted).
 * Both are the shared services on loopback, so whatever else uses them in the window is
 * counted too: read their figures with the load average.
 */
record StoreProcesses(long postgresPid, long redisPid) {

    static final StoreProcesses NONE = new StoreProcesses(0, 0);

    /** The postmaster from its pid file in the data directory, Redis from its own INFO. */
    static StoreProcesses find(Psql pg, Redis redis) {
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
        return new StoreProcesses(postgres, redisPid);
    }

    static long redisPid(String info) {
        return info.lines().filter(l -> l.startsWith("process_id:")).findFirst()
                .map(l -> Long.parseLong(l.substring("process_id:".length()).strip()))
                .orElseThrow(() -> new IllegalStateException("no process_id in INFO server"));
    }

    double postgresSeconds() {
        return postgresPid == 0 ? Double.NaN : ProcStats.treeCpuSeconds(postgresPid);
    }

    double redisSeconds() {
        return redisPid == 0 ? Double.NaN : ProcStats.cpuSeconds(redisPid);
    }
}
