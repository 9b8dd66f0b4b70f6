package io.pagenow.bench;

import java.util.Map;

import static io.pagenow.bench.Figures.atLeast;
import static io.pagenow.bench.Figures.number;
import static io.pagenow.bench.Figures.path;

/**
 * What a run's figures are judged against: each scenario's throughput beside the machine limit
 * it is bounded by (pgbench's insert rate, the Redis work per presence update) and issue 7's goal
 * for it, then issue 17's goals ({@link Goals}).
 */
final class RatiosAndGoals {

    private RatiosAndGoals() {
    }

    /**
     * Puts each scenario's throughput beside the matching machine limit and its goal from issue 7
     * (for the base jar's figures too, when there are), then issue 17's goals table.
     */
    @SuppressWarnings("unchecked")
    static void add(Map<String, Object> report) {
        Map<String, Object> limits = (Map<String, Object>) report.get("limits");
        Double pgTps = number(path(limits, "pgbench", "tps"));
        Double redisUpdates = number(path(limits, "redis", "presence_updates_per_s"));
        addToBackends((Map<String, Object>) report.get("backends"), pgTps, redisUpdates);
        if (path(report, "before", "backends") instanceof Map<?, ?> before) {
            addToBackends((Map<String, Object>) before, pgTps, redisUpdates);
        }
        report.put("goals", Goals.of(report));
    }

    @SuppressWarnings("unchecked")
    private static void addToBackends(Map<String, Object> backends, Double pgTps, Double redisUpdates) {
        for (Object value : backends.values()) {
            Map<String, Object> backend = (Map<String, Object>) value;
            if (backend.get("chat") instanceof Map<?, ?> chat) {
                ratio((Map<String, Object>) chat, pgTps, "pgbench single-row insert tps");
                // A fixed rate below pgbench's can never reach 70% of it: the capacity step's rate is what compares.
                Object capacity = chat.get("capacity");
                Double capacityRate = number(path(capacity, "rate"));
                if (capacity instanceof Map<?, ?> && capacityRate != null && pgTps != null && pgTps > 0) {
                    ((Map<String, Object>) capacity).put("ratio_to_limit", Math.round(capacityRate / pgTps * 1000) / 1000.0);
                }
                Double rate = number(chat.get("rate_achieved"));
                Double p99 = number(path(chat, "latency", "p99_ms"));
                Double r = number(path(capacity, "ratio_to_limit"));
                goal((Map<String, Object>) chat, "5,000 msg/s, p99 < 50 ms, >= 70% of pgbench insert rate",
                        atLeast(chat.get("rate_target"), 5_000),
                        rate != null && rate >= 5_000 * 0.98 && p99 != null && p99 < 50 && r != null && r >= 0.7);
            }
            if (backend.get("presence") instanceof Map<?, ?> presence) {
                ratio((Map<String, Object>) presence, redisUpdates, "Redis presence updates/s (redis-benchmark)");
                Double rate = number(presence.get("rate_achieved"));
                Double p99 = number(path(presence, "latency", "p99_ms"));
                goal((Map<String, Object>) presence, "10,000 updates/s to 5 friends each, p99 < 50 ms",
                        atLeast(presence.get("rate_target"), 10_000) && atLeast(presence.get("friends_each"), 5),
                        rate != null && rate >= 10_000 * 0.98 && p99 != null && p99 < 50);
            }
            if (backend.get("connections") instanceof Map<?, ?> connections) {
                Double perSocket = number(connections.get("heap_per_socket_bytes"));
                Double opened = number(connections.get("opened"));
                goal((Map<String, Object>) connections, "10,000 sockets, <= 25 KiB heap per socket",
                        atLeast(connections.get("sockets_target"), 10_000),
                        opened != null && opened >= 10_000 && perSocket != null && perSocket <= 25 * 1024);
            }
            if (backend.get("rest") instanceof Map<?, ?> rest) {
                Double p99 = number(path(rest, "latency", "p99_ms"));
                goal((Map<String, Object>) rest, "GET /conversations p99 < 10 ms at 1,000 users / 20,000 conversations"
                                + " / 1,000,000 messages",
                        atLeast(path(rest, "dataset", "messages"), 1_000_000), p99 != null && p99 < 10);
            }
        }
    }

    private static void ratio(Map<String, Object> scenario, Double limit, String what) {
        Double rate = number(scenario.get("rate_achieved"));
        if (limit != null && limit > 0 && rate != null) {
            scenario.put("limit", what);
            scenario.put("limit_value", limit);
            scenario.put("ratio_to_limit", Math.round(rate / limit * 1000) / 1000.0);
        }
    }

    private static void goal(Map<String, Object> scenario, String goal, boolean atGoalSize, boolean met) {
        scenario.put("goal", goal);
        scenario.put("goal_met", atGoalSize ? (Object) met : "not measured at this profile's size");
    }
}
