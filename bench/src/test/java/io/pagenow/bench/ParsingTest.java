package io.pagenow.bench;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The load generator reads other programs' output: each reader against a real sample of it. */
class ParsingTest {

    @Test
    void readsTheFieldsOfANewMessageEventAndSkipsNestedOnes() {
        Frame frame = Frame.parse("{\"type\":\"new-message\",\"messageId\":\"m1\",\"tempMessageId\":\"bx-12\","
                + "\"conversationId\":\"c1\",\"senderId\":\"u1\",\"extra\":{\"title\":\"no\"},\"content\":\"hi\","
                + "\"sentAt\":\"2026-11-23T10:15:30.123Z\"}");

        assertEquals("new-message", frame.type());
        assertEquals("bx-12", frame.tempMessageId());
        assertEquals("c1", frame.conversationId());
        assertEquals("u1", frame.senderId());
        assertNull(frame.title());
    }

    @Test
    void readsAnErrorEventsNumericCode() {
        Frame frame = Frame.parse("{\"type\":\"error\",\"action\":\"send-message\",\"code\":429,\"message\":\"slow\","
                + "\"tempMessageId\":\"t\"}");

        assertEquals(429, frame.code());
        assertEquals("send-message", frame.action());
    }

    @Test
    void refusesWhatIsNotAJsonObject() {
        assertThrows(IllegalArgumentException.class, () -> Frame.parse("[1]"));
        assertThrows(IllegalArgumentException.class, () -> Frame.parse("{\"type\":"));
    }

    @Test
    void readsTheUsedHeapOfJcmdGcHeapInfo() {
        String g1 = """
                12345:
                 garbage-first heap   total 1048576K, used 23456K [0x00000000c0000000, 0x0000000100000000)
                  region size 1024K, 3 young (3072K), 0 survivors (0K)
                 Metaspace       used 21000K, committed 21500K, reserved 1114112K
                """;

        assertEquals(23456L * 1024, ProcessMemory.heapUsed(g1));
        assertThrows(IllegalStateException.class, () -> ProcessMemory.heapUsed("no heap here"));
    }

    @Test
    void readsTheRateOfRedisBenchmarkCsv() {
        String csv = """
                "test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms"
                "SMEMBERS pagenow-bench:limits:conn:__rand_int__","84317.03","0.303","0.080","0.287","0.455","0.631","2.031"
                """;

        assertEquals(84317.03, Limits.parseRps(csv), 1e-9);
    }

    @Test
    void sumsPrometheusSeriesByName() {
        String text = """
                # HELP pagenow_connections_open open sockets
                # TYPE pagenow_connections_open gauge
                pagenow_connections_open{channel="chat"} 10.0
                pagenow_connections_open{channel="presence"} 12.0
                jvm_memory_used_bytes{area="heap",id="G1 Eden Space"} 1.0E7
                pagenow_request_seconds_bucket{le="0.1"} 5
                """;

        assertEquals(Map.of("pagenow_connections_open", 22.0), Metrics.sum(text, "connections"));
        assertEquals(Map.of("jvm_memory_used_bytes", 1.0e7), Metrics.sum(text, "jvm_memory"));
    }
}
