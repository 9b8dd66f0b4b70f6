package io.pagenow.bench;

/**
 * A running server a scenario drives, and how its stores are reached.
 *
 * @param backend {@code embedded} or {@code postgres-redis}
 * @param pg      the server's database, when it has one
 * @param tag     unique per run, in every id the load generator makes up (temp message ids, ...)
 * @param stores  the PostgreSQL and Redis processes whose CPU each window counts beside the server's
 */
record Target(ServerProcess server, Profile profile, String backend, Psql pg, String tag, StoreProcesses stores) {

    /** A CPU window over the server, the load generator and, when this back end uses them, the stores. */
    CpuWindow cpuWindow() {
        return new CpuWindow(server.pid(), pg == null ? StoreProcesses.NONE : stores);
    }

    Wire wire(int clients, int threads) {
        return new Wire(server.port(), 8, clients, threads);
    }
}
