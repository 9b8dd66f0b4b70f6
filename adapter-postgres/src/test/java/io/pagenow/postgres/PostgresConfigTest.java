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
    void aCallIsBoundedByTheConnectionTimeoutAndASilentSocketPastTheStatementTimeout() {
        PostgresConfig config = new PostgresConfig("jdbc:postgresql://db/chat", "app", "pw", 10, true,
                Duration.ofMillis(250), Duration.ofSeconds(3));

        assertEquals(Duration.ofMillis(3500), config.socketTimeout());
        assertEquals(Duration.ofMillis(3750), config.callTimeout());
    }

    @Test
    void byDefaultACallLeavesRoomWithinTheThreeSecondsAFrameIsAnsweredIn() {
        PostgresConfig config = new PostgresConfig("jdbc:postgresql://db/chat", "app", "pw", 10, true);

        // A frame may wait 0.5 s behind a refused one on its socket before its own call.
        assertEquals(Duration.ofSeconds(2), config.callTimeout());
        assertTrue(config.socketTimeout().compareTo(config.statementTimeout()) > 0,
                "the server cancels a slow statement before the driver gives up on the connection");
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
