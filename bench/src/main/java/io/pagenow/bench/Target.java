package io.pagenow.bench;

/**
 * A running server a scenario drives, and how its stores are reached.
 *
 * @param backend {@code embedded} or {@code postgres-redis}
 * @param pg      the server's database, when it has one
 * @param tag     unique per run, in every id the load generator makes up (temp message ids, ...)
 */
record Target(ServerProcess server, Profile profile, String backend, Psql pg, String tag) {

    Wire wire(int clients, int threads) {
        return new Wire(server.port(), 8, clients, threads);
    }
}
