package io.pagenow.bench;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GoalsTest {

    private static Map<String, Object> cpu(double serverMicros) {
        return Map.of("items", 1000L, "server_cores", 1.0, "us_per_item", Map.of("server", serverMicros, "loadgen", 10.0));
    }

    private static Map<String, Object> presence(double rate, double p99, double serverMicros) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rate_target", 10_000);
        m.put("rate_achieved", rate);
        m.put("friends_each", 5);
        m.put("latency", Map.of("p50_ms", 1.0, "p99_ms", p99, "max_ms", 90.0));
        m.put("cpu", cpu(serverMicros));
        return m;
    }

    private static Map<String, Object> connections(double rate, double p99) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rate_target", 2_000);
        m.put("rate_achieved", rate);
        m.put("latency", Map.of("p50_ms", 1.0, "p99_ms", p99, "max_ms", 900.0));
        m.put("cpu_connect", cpu(300));
        return m;
    }

    private static Map<String, Object> report(Map<String, Object> after, Map<String, Object> before, Object jetty) {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("stamp", "20261202T170000Z");
        report.put("command", "bench/run full");
        report.put("machine", Map.of("cores", 2, "commit", "abc"));
        report.put("limits", Map.of("pgbench", Map.of("error", "not measured"), "redis", Map.of("error", "not measured")));
        report.put("backends", Map.of("postgres-redis", after));
        if (before != null) {
            report.put("before", Map.of("rev", "main (f9397cf)", "backends", Map.of("postgres-redis", before)));
        }
        if (jetty != null) {
            report.put("reference", Map.of("jetty-echo", jetty));
        }
        report.put("problems", new ArrayList<String>());
        return report;
    }

    @SuppressWarnings("unchecked")
    private static String met(Map<String, Object> report, String goalStart) {
        return ((List<Map<String, Object>>) report.get("goals")).stream()
                .filter(g -> ((String) g.get("goal")).startsWith(goalStart))
                .map(g -> (String) g.get("met")).findFirst().orElseThrow(() -> new AssertionError(goalStart));
    }

    @Test
    void presenceAtTheRateUnderTheP99IsMetAndOverItMissed() {
        Map<String, Object> met = report(Map.of("presence", presence(9_990, 40, 100)), null, null);
        Map<String, Object> missed = report(Map.of("presence", presence(9_990, 60, 100)), null, null);
        RatiosAndGoals.add(met);
        RatiosAndGoals.add(missed);

        assertEquals("met", met(met, "presence"));
        assertEquals("missed", met(missed, "presence"));
    }

    @Test
    void serverCpuPerItemHalvedIsJudgedAgainstTheBeforeRun() {
        Map<String, Object> halved = report(Map.of("presence", presence(9_990, 40, 100)),
                Map.of("presence", presence(9_990, 40, 210)), null);
        Map<String, Object> not = report(Map.of("presence", presence(9_990, 40, 120)),
                Map.of("presence", presence(9_990, 40, 210)), null);
        Map<String, Object> alone = report(Map.of("presence", presence(9_990, 40, 120)), null, null);
        RatiosAndGoals.add(halved);
        RatiosAndGoals.add(not);
        RatiosAndGoals.add(alone);

        assertEquals("met", met(halved, "server CPU per item halved"));
        assertEquals("missed", met(not, "server CPU per item halved"));
        assertTrue(met(alone, "server CPU per item halved").startsWith("not measured: no before run"));
        String md = Report.markdown(halved);
        assertTrue(md.contains("| postgres-redis | presence | 9,990 -> 9,990 | 40 -> 40 | 210 -> 100 | 0.48 |"), md);
        assertTrue(md.contains("| server CPU per item halved vs the before run: presence | postgres-redis | 210 -> 100 µs"
                + " = 0.48 of before | met |"), md);
    }

    @Test
    void theConnectStormMeetsItsGoalWithinEightyPercentOfBareJetty() {
        Map<String, Object> slowButLikeJetty = report(Map.of("connections", connections(1_500, 900)), null,
                connections(1_800, 700));
        Map<String, Object> slowAlone = report(Map.of("connections", connections(1_500, 900)), null,
                connections(2_000, 80));
        RatiosAndGoals.add(slowButLikeJetty);
        RatiosAndGoals.add(slowAlone);

        assertEquals("met", met(slowButLikeJetty, "connect storm"));
        assertEquals("missed", met(slowAlone, "connect storm"));
        String md = Report.markdown(slowAlone);
        assertTrue(md.contains("| reference: jetty-echo | connections | connect | 1,000 | 300 |"), md);
    }

    @Test
    void theCpuTableShowsEveryProcessPerItem() {
        Map<String, Object> presence = presence(9_990, 40, 100);
        presence.put("cpu", Map.of("items", 300_000L, "server_cores", 1.2, "postgres_cores", 0.3, "redis_cores", 0.2,
                "loadgen_cores", 0.6, "load_average", "3.1 2.0 1.5",
                "us_per_item", Map.of("server", 100.0, "postgres", 25.5, "redis", 12.0, "loadgen", 50.0)));
        Map<String, Object> report = report(Map.of("presence", presence), null, null);
        RatiosAndGoals.add(report);

        assertTrue(Report.markdown(report).contains("| postgres-redis | presence | update fanned out to 5 friends | 300,000 "
                + "| 100 | 25.5 | 12 | 50 | 1.2 / 0.3 / 0.2 / 0.6 |  /  | 3.1 2.0 1.5 |"), Report.markdown(report));
    }
}
