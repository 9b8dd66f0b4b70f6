package io.pagenow.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Redis through its own client. The benchmark touches only keys under its own prefixes. Public for
 * the JMH benchmarks on Redis, which clean up with it.
 */
public record Redis(String host, int port) {

    String url() {
        return "redis://" + host + ":" + port + "/0";
    }

    String cli(String... args) {
        List<String> command = new ArrayList<>(List.of("redis-cli", "-h", host, "-p", String.valueOf(port)));
        command.addAll(List.of(args));
        return Command.run(command, Duration.ofMinutes(2)).strip();
    }

    boolean reachable() {
        try {
            return cli("PING").equals("PONG");
        } catch (RuntimeException e) {
            return false;
        }
    }

    long countKeys(String prefix) {
        String keys = cli("--scan", "--pattern", prefix + "*");
        return keys.isEmpty() ? 0 : keys.lines().count();
    }

    /** Unlinks every key under {@code prefix} (never a flush: other users share this Redis). */
    public long deleteKeys(String prefix) {
        if (!prefix.startsWith("pagenow-bench")) {
            throw new IllegalArgumentException("refusing to delete keys outside the benchmark's prefix: " + prefix);
        }
        String keys = cli("--scan", "--pattern", prefix + "*");
        List<String> all = keys.isEmpty() ? List.of() : keys.lines().toList();
        for (int from = 0; from < all.size(); from += 500) {
            List<String> args = new ArrayList<>();
            args.add("UNLINK");
            args.addAll(all.subList(from, Math.min(all.size(), from + 500)));
            cli(args.toArray(String[]::new));
        }
        return all.size();
    }
}
