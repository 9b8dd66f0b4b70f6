package io.pagenow.config;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class EnvironmentTest {

    @Test
    void aMalformedUrlIsNamedWithoutItsCredentials() {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> new Environment(Map.of("REDIS_URL", "cache:hunter2@6379")).redisUrl());
        assertEquals("REDIS_URL", e.variable());
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
    }

    @Test
    void blankIsAbsent() {
        Environment env = new Environment(Map.of("A", " \t", "B", " b "));
        assertEquals(java.util.Optional.empty(), env.text("A"));
        assertEquals(java.util.Optional.of("b"), env.text("B"));
        assertEquals(3, env.integer("A", 3, 1, 5));
    }
}
