package io.pagenow.db;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DatabaseUrlTest {

    @Test
    void aJdbcUrlIsKeptWithTheGivenCredentials() {
        assertEquals(new DatabaseUrl("jdbc:postgresql://db:5432/pagenow", "app", "secret"),
                DatabaseUrl.parse(" jdbc:postgresql://db:5432/pagenow ", "app", "secret"));
        assertEquals(new DatabaseUrl("jdbc:postgresql://db/pagenow", null, null),
                DatabaseUrl.parse("jdbc:postgresql://db/pagenow", "", null));
    }

    @Test
    void aPostgresUrlBecomesAJdbcUrlWithItsCredentials() {
        assertEquals(new DatabaseUrl("jdbc:postgresql://db.example.com:6432/chat?sslmode=require", "app", "p@ss:word"),
                DatabaseUrl.parse("postgres://app:p%40ss%3Aword@db.example.com:6432/chat?sslmode=require", null, null));
        assertEquals(new DatabaseUrl("jdbc:postgresql://db/chat", "other", "pw"),
                DatabaseUrl.parse("postgresql://app:secret@db/chat", "other", "pw"));
    }

    @Test
    void aMissingOrForeignUrlIsRefusedByName() {
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> DatabaseUrl.parse(null, null, null));
        assertTrue(missing.getMessage().contains("DATABASE_URL"));
        assertThrows(IllegalArgumentException.class, () -> DatabaseUrl.parse("mysql://db/chat", null, null));
        assertThrows(IllegalArgumentException.class, () -> DatabaseUrl.parse("postgres:///chat", null, null));
    }

    @Test
    void itsTextShowsNoSecret() {
        String text = DatabaseUrl.parse("jdbc:postgresql://db/chat?password=hunter2", "app", "hunter2").toString();

        assertFalse(text.contains("hunter2"), text);
        assertTrue(text.contains("jdbc:postgresql://db/chat"), text);
    }
}
