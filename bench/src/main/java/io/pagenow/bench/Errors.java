package io.pagenow.bench;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Everything that went wrong in a scenario, counted by kind ("error 429 send-message", "send failed", ...). */
final class Errors {

    private final Map<String, LongAdder> byKind = new ConcurrentHashMap<>();

    void add(String kind) {
        byKind.computeIfAbsent(kind, k -> new LongAdder()).increment();
    }

    void errorEvent(Frame frame) {
        add("error " + frame.code() + (frame.action() == null ? "" : " " + frame.action()));
    }

    long total() {
        return byKind.values().stream().mapToLong(LongAdder::sum).sum();
    }

    Map<String, Long> byKind() {
        Map<String, Long> m = new TreeMap<>();
        byKind.forEach((k, v) -> m.put(k, v.sum()));
        return m;
    }
}
