package io.pagenow.postgres;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PostgresConfigTest {

    @Test
    void theShortFormUsesTheDefaultTimeouts() {
        PostgresConfig config = new PostgresConfig("jdbc:postgresql://db/chat", "app", "pw", 10, true);

        assertEquals(PostgresConfig.DEFAULT_CONNECTION_TIMEOUT, config.connectionTimeout());
        assertEquals(PostgresConfig.DEFAULT_STATEMENT_TIMEOUT, config.statementTimeout());
    }

    @Test
    void badValuesAreRefusedByName() {
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new PostgresConfig("jdbc:postgresql://db/chat", null, null, 0, true)).getMessage().contains("poolSize"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new PostgresConfig("postgres://db/chat", null, null, 1, true)).getMessage().contains("jdbcUrl"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new PostgresConfig("jdbc:postgresql://db/chat", null, null, 1, true, Duration.ofMillis(10),
                        Duration.ofSeconds(1))).getMessage().contains("connectionTimeout"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new PostgresConfig("jdbc:postgresql://db/chat", null, null, 1, true)
                        .withSocialGraphCacheTtl(Duration.ofSeconds(-1))).getMessage().contains("socialGraphCacheTtl"));
    }

    @Test
    void theSocialGraphIsCachedFiveSecondsUnlessToldOtherwise() {
        PostgresConfig config = new PostgresConfig("jdbc:postgresql://db/chat", "app", "pw", 10, true);

        assertEquals(Duration.ofSeconds(5), config.socialGraphCacheTtl());
        assertEquals(Duration.ZERO, config.withSocialGraphCacheTtl(Duration.ZERO).socialGraphCacheTtl());
        assertEquals(config.statementTimeout(), config.withSocialGraphCacheTtl(Duration.ZERO).statementTimeout());
    }

    @Test
    void itsTextShowsNoSecret() {
        String text = new PostgresConfig("jdbc:postgresql://db/chat?password=hunter2", "app", "hunter2", 4, false)
                .toString();

        assertFalse(text.contains("hunter2"), text);
        assertTrue(text.contains("poolSize=4"), text);
    }
}
