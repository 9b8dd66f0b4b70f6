package io.pagenow.protocol;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

class GuavaRegistrableDomainsTest {

    private final GuavaRegistrableDomains domains = new GuavaRegistrableDomains();

    @ParameterizedTest
    @CsvSource({
            "news.bbc.co.uk, bbc.co.uk",
            "www.google.com, google.com",
            "google.com, google.com",
            "alice.github.io, alice.github.io",
            "docs.alice.github.io, alice.github.io",
            "a.b.example.co.kr, example.co.kr",
            "localhost, localhost",
            "co.uk, co.uk",
            "github.io, github.io",
            "127.0.0.1, 127.0.0.1",
            "[::1], [::1]",
            "example.com., example.com",
            "under_score.example.com, example.com",
            "not a host, not a host",
    })
    void registrableDomain(String host, String expected) {
        assertEquals(expected, domains.of(host));
    }
}
