package io.pagenow.config;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RedactionTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "jdbc:postgresql://db:5432/app?password=hunter2&ssl=true | jdbc:postgresql://db:5432/app?***",
            "postgres://app:hunter2@db:5432/app                      | postgres://***@db:5432/app",
            "rediss://:hunter2@cache:6380/0                          | rediss://***@cache:6380/0",
            "redis://cache:6379                                      | redis://cache:6379",
            "https://u:p@host/path?token=x#top                       | https://***@host/path?***#top",
            "jdbc:postgresql://db/app?user=a@b&password=c@d           | jdbc:postgresql://db/app?***"})
    void credentialsAndQueriesAreHiddenHostsAreShown(String url, String shown) {
        assertEquals(shown, Redaction.url(url));
    }
}
