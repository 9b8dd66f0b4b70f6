package io.pagenow.protocol;

import io.pagenow.core.contract.RegistrableDomainsContract;
import io.pagenow.core.presence.port.out.RegistrableDomains;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The port's contract, and the cache in front of Guava answering exactly as Guava does. */
class GuavaRegistrableDomainsTest extends RegistrableDomainsContract {

    private final GuavaRegistrableDomains domains = new GuavaRegistrableDomains();

    @Override
    protected RegistrableDomains domains() {
        return domains;
    }

    /** Hosts a browser can report, the odd ones included; each asked twice so the second answer is the cached one. */
    private static final List<String> HOSTS = List.of(
            "news.bbc.co.uk", "NEWS.BBC.CO.UK", "News.Bbc.Co.Uk", "www.google.com.", "WWW.GOOGLE.COM.",
            "localhost", "localhost.", "LOCALHOST", "127.0.0.1", "127.0.0.1.", "10.0.0.256", "[::1]", "::1",
            "[2001:db8::1]", "[::ffff:192.168.0.1]", "xn--bcher-kva.de", "www.xn--bcher-kva.de", "shop.xn--fiqs8s",
            "xn--fiqs8s", "bücher.de", "www.bücher.de", "example.com", "a.example.com", "alice.github.io",
            "github.io", "co.uk", "uk", "com", ".", "", "..", "a..b.com", "-bad-.example.com",
            "under_score.example.com", "x".repeat(64) + ".com", "a.b.c.d.e.f.example.co.jp", "s3.amazonaws.com",
            "bucket.s3.amazonaws.com", "192.168.1.1.nip.io", "not a host", "*.example.com");

    @Test
    void cachedAnswersAreTheUncachedOnes() {
        for (int round = 0; round < 2; round++) {
            for (String host : HOSTS) {
                assertEquals(GuavaRegistrableDomains.lookUp(host), domains.of(host), "host '" + host + "'");
            }
        }
    }

    @ParameterizedTest
    @CsvSource({
            "NEWS.BBC.CO.UK, bbc.co.uk",
            "WWW.GOOGLE.COM., google.com",
            "localhost., localhost",
            "127.0.0.1., 127.0.0.1",
            "::1, ::1",
            "[2001:db8::1], [2001:db8::1]",
            "www.xn--bcher-kva.de, xn--bcher-kva.de",
            "shop.xn--fiqs8s, shop.xn--fiqs8s",
            "'', ''",
            "., ''",
    })
    void unusualHostsAnswerTheSameCachedAsUncached(String host, String expected) {
        assertEquals(expected, GuavaRegistrableDomains.lookUp(host));
        assertEquals(expected, domains.of(host));
        assertEquals(expected, domains.of(host));
    }
}
