package io.pagenow.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The sizes and rates of one run. {@code ci} proves the harness in seconds, {@code quick} takes a
 * couple of minutes, {@code full} measures against issue 7's goals.
 *
 * @param warmupSeconds the load chat, presence and rest run at their target rate before the
 *                      measured seconds, on the same server: checked for loss like the rest,
 *                      its latency reported apart (a cold JIT is not the steady state)
 * @param chatCapacitySeconds how long chat's closed-loop capacity step runs after its open-loop
 *                            run: a fixed rate can only show whether a rate is reached, this
 *                            shows the most the server stores and delivers (the figure issue 7
 *                            compares with pgbench's insert rate)
 * @param chatCapacityWindow  messages in flight during that step
 * @param sharedServer one server per back end for every scenario (ci: saves the start-ups);
 *                     otherwise a fresh server per scenario, so no scenario measures another's
 *                     leftovers
 */
record Profile(String name,
               int sockets, int connectRate, int holdSeconds, int heartbeatSeconds,
               int chatUsers, int groupSize, int chatRate, int chatSeconds,
               int presenceUsers, int friends, int presenceRate, int presenceSeconds,
               int restUsers, int restConversations, int restMessages, int populateRate, int restRate, int restSeconds,
               int pgbenchSeconds, int dbClients, int redisRequests, int redisClients,
               int warmupSeconds, int chatCapacitySeconds, int chatCapacityWindow, int drainSeconds,
               boolean sharedServer) {

    static Profile named(String name) {
        return switch (name) {
            case "ci" -> new Profile("ci",
                    200, 400, 2, 1,
                    20, 4, 100, 2,
                    24, 5, 100, 2,
                    20, 60, 600, 600, 50, 2,
                    2, 10, 2_000, 10,
                    0, 1, 16, 20, true);
            case "quick" -> new Profile("quick",
                    2_000, 1_000, 5, 2,
                    200, 5, 1_000, 10,
                    400, 5, 2_000, 10,
                    200, 2_000, 50_000, 5_000, 500, 10,
                    5, 10, 50_000, 10,
                    3, 5, 64, 20, false);
            // Connects offered at 2,000/s: issue 17's connect storm goal cannot be reached below it.
            case "full" -> new Profile("full",
                    10_000, 2_000, 15, 5,
                    1_000, 5, 5_000, 30,
                    2_000, 5, 10_000, 30,
                    1_000, 20_000, 1_000_000, 10_000, 1_000, 30,
                    15, 10, 200_000, 10,
                    10, 10, 64, 60, false);
            // bench/run peers: the sizes the peer comparison uses for both servers; chat conversations
            // are pairs only (groups of 2), as XMPP's one-to-one chat has no group, and no capacity
            // step (the rate ladder of PeersRun takes its place).
            case "peers-quick" -> new Profile("peers-quick",
                    1_000, 500, 5, 2,
                    100, 2, 500, 5,
                    120, 5, 500, 5,
                    0, 0, 0, 0, 0, 0,
                    0, 10, 0, 0,
                    2, 0, 1, 20, false);
            case "peers" -> new Profile("peers",
                    10_000, 1_000, 10, 5,
                    1_000, 2, 1_000, 10,
                    2_000, 5, 1_000, 10,
                    0, 0, 0, 0, 0, 0,
                    0, 10, 0, 0,
                    3, 0, 1, 30, false);
            default -> throw new IllegalArgumentException("unknown profile '" + name
                    + "', expected ci, quick, full, peers or peers-quick");
        };
    }

    /** The same sizes at other chat and presence rates (a step of the peer comparison's rate ladder). */
    Profile withRates(int chat, int presence) {
        return new Profile(name, sockets, connectRate, holdSeconds, heartbeatSeconds,
                chatUsers, groupSize, chat, chatSeconds, presenceUsers, friends, presence, presenceSeconds,
                restUsers, restConversations, restMessages, populateRate, restRate, restSeconds,
                pgbenchSeconds, dbClients, redisRequests, redisClients,
                warmupSeconds, chatCapacitySeconds, chatCapacityWindow, drainSeconds, sharedServer);
    }

    Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("connections", Map.of("sockets", sockets, "connect_rate", connectRate, "hold_s", holdSeconds,
                "heartbeat_every_s", heartbeatSeconds));
        m.put("chat", Map.of("users", chatUsers, "group_size", groupSize, "rate", chatRate, "seconds", chatSeconds,
                "capacity_seconds", chatCapacitySeconds, "capacity_window", chatCapacityWindow));
        m.put("presence", Map.of("users", presenceUsers, "friends", friends, "rate", presenceRate,
                "seconds", presenceSeconds));
        m.put("rest", Map.of("users", restUsers, "conversations", restConversations, "messages", restMessages,
                "rate", restRate, "seconds", restSeconds));
        m.put("warmup_s", warmupSeconds);
        m.put("limits", Map.of("pgbench_s", pgbenchSeconds, "db_clients", dbClients, "redis_requests", redisRequests,
                "redis_clients", redisClients));
        return m;
    }
}
