package io.pagenow.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Redis limit is measured with the adapter's own script, read from the file the adapter runs. */
class LimitsTest {

    @Test
    void thePresenceWriteStepRunsTheAdaptersUpdateScript() {
        String script = Limits.UPDATE_SCRIPT;

        assertTrue(script.startsWith("local wasLive = redis.call('ZSCORE', KEYS[1], ARGV[1])"), script);
        assertTrue(script.strip().endsWith("return redis.call('HMGET', KEYS[2], 'lurl', 'ltitle', 'ldomain')"), script);
    }
}
