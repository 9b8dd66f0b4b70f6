package io.pagenow.bench;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReportTest {

    private static Map<String, Object> report(double chatRate, double chatP99, double chatTarget) {
        return report(chatRate, chatP99, chatTarget, chatRate);
    }

    private static Map<String, Object> report(double chatRate, double chatP99, double chatTarget, double capacityRate) {
        Map<String, Object> chat = new LinkedHashMap<>();
        Map<String, Object> capacity = new LinkedHashMap<>();
        capacity.put("window", 64);
        capacity.put("seconds", 10);
        capacity.put("sent", 60_000);
        capacity.put("rate", capacityRate);
        capacity.put("latency", Map.of("p50_ms", 4.0, "p99_ms", 9.0, "max_ms", 12.0));
        chat.put("capacity", capacity);
        chat.put("rate_target", chatTarget);
        chat.put("rate_achieved", chatRate);
        chat.put("latency", Map.of("p50_ms", 1.0, "p99_ms", chatP99, "max_ms", 90.0));
        chat.put("sent", 100);
        chat.put("lost", 0);
        chat.put("errors", 0);
        Map<String, Object> backend = new LinkedHashMap<>();
        backend.put("chat", chat);
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("stamp", "20261123T120000Z");
        report.put("command", "bench/run full");
        report.put("machine", Map.of("cores", 2, "commit", "abc"));
        report.put("limits", Map.of("pgbench", Map.of("tps", 8000.0, "what", "insert", "clients", 10, "seconds", 15),
                "redis", Map.of("error", "not measured")));
        Map<String, Object> backends = new LinkedHashMap<>();
        backends.put("postgres-redis", backend);
        report.put("backends", backends);
        report.put("problems", new ArrayList<String>());
        return report;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> chat(Map<String, Object> report) {
        return (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) report.get("backends"))
                .get("postgres-redis")).get("chat");
    }

    @Test
    void putsChatThroughputBesideThePgbenchInsertRate() {
        Map<String, Object> report = report(6000, 20, 6000);
        RatiosAndGoals.add(report);

        assertEquals(0.75, chat(report).get("ratio_to_limit"));
        assertEquals(true, chat(report).get("goal_met"));
    }

    @Test
    void theInsertRateGoalIsJudgedOnTheCapacityStep() {
        Map<String, Object> report = report(5000, 20, 5000, 5200);
        RatiosAndGoals.add(report);

        assertEquals(0.625, chat(report).get("ratio_to_limit"));
        assertEquals(0.65, ((Map<?, ?>) chat(report).get("capacity")).get("ratio_to_limit"));
        assertEquals(false, chat(report).get("goal_met"));
    }

    @Test
    void aP99OverTheGoalMissesIt() {
        Map<String, Object> report = report(6000, 80, 6000);
        RatiosAndGoals.add(report);

        assertEquals(false, chat(report).get("goal_met"));
    }

    @Test
    void aRunBelowTheGoalsSizeDoesNotClaimEither() {
        Map<String, Object> report = report(1000, 5, 1000);
        RatiosAndGoals.add(report);

        assertEquals("not measured at this profile's size", chat(report).get("goal_met"));
    }

    @Test
    void theTableHoldsEveryFigureAndTheFailures() {
        Map<String, Object> report = report(6000, 20, 6000);
        ((List<String>) report.get("problems")).add("postgres-redis/chat: 3 lost");
        RatiosAndGoals.add(report);
        String md = Report.markdown(report);

        assertTrue(md.contains("| postgres-redis | chat | 6,000 | 6,000 | 0.75 | 1 |"), md);
        assertTrue(md.contains("8,000 tps"), md);
        assertTrue(md.contains("| postgres-redis | chat: capacity, closed loop, 64 in flight, 10 s | | 6,000 | 0.75 | 4 |  | 9 | 12 | 60,000 |"), md);
        assertTrue(md.contains("error: not measured"), md);
        assertTrue(md.contains("FAILED: postgres-redis/chat: 3 lost"), md);
    }
}
