package io.pagenow.core.contract;

import io.pagenow.core.presence.port.out.RegistrableDomains;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The behaviour every {@link RegistrableDomains} must have: the Public Suffix List's answer, its
 * private section included, and the host itself where there is none. {@link #domains()} returns one.
 */
public abstract class RegistrableDomainsContract {

    protected abstract RegistrableDomains domains();

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
            "www.xn--bcher-kva.de, xn--bcher-kva.de",
            "'', ''",
    })
    void registrableDomain(String host, String expected) {
        assertEquals(expected, domains().of(host));
    }
}
