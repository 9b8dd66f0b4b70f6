package io.pagenow.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Redis limit is measured with the adapter's own script, read from the file the adapter runs. */
class LimitsTest {

    @Test
    void thePresenceStepRunsTheAdaptersUpdateScript() {
        String script = Limits.UPDATE_SCRIPT;

        assertTrue(script.contains("local wasLive = redis.call('ZSCORE', KEYS[1], ARGV[1])"), script);
        assertTrue(script.contains("redis.call('HGETALL', KEYS[i])"), script);
    }

    @Test
    void thePresenceStepWritesAndReadsTheConnectionsOfTheUserAndEachFriendInOneScript() {
        List<Limits.RedisStep> steps = Limits.presenceSteps(5, "sha");

        assertEquals(1, steps.size());
        List<String> command = steps.get(0).command();
        assertEquals(List.of("EVALSHA", "sha", "8"), command.subList(0, 3));
        assertEquals(6, command.stream().filter(arg -> arg.endsWith("conns:presence:__rand_int__")).count());
        assertEquals(3 + 8 + 10, command.size(), "8 keys, then the script's 10 arguments");
        assertEquals(1, steps.get(0).perUpdate());
    }
}
