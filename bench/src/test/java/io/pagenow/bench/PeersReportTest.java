package io.pagenow.bench;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The peer comparison's figures from the scenarios' results. */
class PeersReportTest {

    private static Map<String, Object> step(boolean complete, long lost, double p99, double cores, double rate) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("complete", complete);
        r.put("lost", lost);
        r.put("errors", 0L);
        r.put("latency", Map.of("p99_ms", p99));
        r.put("cpu", Map.of("server_cores", cores));
        r.put("rate_achieved", rate);
        return r;
    }

    @Test
    void theHighestSustainedRateNeedsEverythingDeliveredAndP99UnderTheLimit() {
        Map<String, Object> ladder = new LinkedHashMap<>();
        ladder.put("1000", step(true, 0, 9, 0.3, 1000));
        ladder.put("2000", step(true, 0, 49.9, 0.6, 2000));
        ladder.put("4000", step(true, 0, 51, 1.0, 3900));
        ladder.put("8000", step(false, 0, 10, 1.0, 4000));

        assertEquals(2000.0, PeersReport.highestSustained(ladder, 50));
        ladder.put("2000", step(true, 1, 20, 0.6, 2000));
        assertEquals(1000.0, PeersReport.highestSustained(ladder, 50));
    }

    @Test
    void cpuPerItemIsServerCoresOverTheAchievedRateInMicroseconds() {
        assertEquals(300.0, PeersReport.cpuPerItemMicros(step(true, 0, 1, 0.3, 1000)));
        assertNull(PeersReport.cpuPerItemMicros(step(true, 0, 1, 0.3, 0)));
    }

    @Test
    void ratiosAreOursOverEjabberds() {
        Map<String, Object> ours = Map.of("embedded/presence", Map.of("750", step(true, 0, 5, 0.6, 750)));
        Map<String, Object> peer = Map.of("ejabberd/presence", Map.of("750", step(true, 0, 5, 0.3, 750)),
                "ejabberd/connections", Map.of("rss_per_socket_bytes", 2048L));
        List<Map<String, Object>> rows = PeersReport.compare(ours, peer, 50);

        Map<String, Object> cpu = rows.stream().filter(r -> r.get("scenario").equals("presence to 5 friends")
                && r.get("figure").toString().startsWith("server CPU")).findFirst().orElseThrow();
        assertEquals(2.0, cpu.get("ratio"));
        Map<String, Object> memory = rows.stream().filter(r -> r.get("scenario").equals("idle sockets")).findFirst().orElseThrow();
        assertEquals(2.0, memory.get("ejabberd"));
        assertNull(memory.get("ratio"));
    }
}
