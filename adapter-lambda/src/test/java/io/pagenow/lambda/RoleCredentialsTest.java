package io.pagenow.lambda;

import com.sun.net.httpserver.HttpServer;
import io.pagenow.core.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Where the role's credentials come from and when they are fetched again: the access-key
 * variables, else the container credentials endpoint (a loopback one here, with a controlled clock),
 * refreshed from 15 minutes before they expire and required new from a minute before.
 */
class RoleCredentialsTest {

    private static final Instant START = Instant.parse("2026-12-03T08:00:00Z");

    private final MutableClock clock = new MutableClock(START);
    private HttpServer endpoint;
    /** What the endpoint answers next: the status, and the expiry of the credentials it serves. */
    private volatile int status = 200;
    private volatile Optional<Instant> expiry = Optional.of(START.plus(Duration.ofMinutes(50)));
    private final AtomicInteger served = new AtomicInteger();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        endpoint = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        endpoint.createContext("/credentials", exchange -> {
            try (exchange) {
                authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
                if (status != 200) {
                    served.incrementAndGet();
                    exchange.sendResponseHeaders(status, -1);
                    return;
                }
                int n = served.incrementAndGet();
                byte[] body = ("{\"AccessKeyId\": \"AKID" + n + "\", \"SecretAccessKey\": \"secret-" + n + "\","
                        + " \"Token\": \"session-" + n + "\", \"RoleArn\": {\"ignored\": [1, 2]}"
                        + expiry.map(e -> ", \"Expiration\": \"" + e + "\"").orElse("") + "}")
                        .getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
        });
        endpoint.start();
    }

    @AfterEach
    void stop() {
        endpoint.stop(0);
    }

    private String uri() {
        return "http://127.0.0.1:" + endpoint.getAddress().getPort() + "/credentials";
    }

    private RoleCredentials container(Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(Map.of("AWS_CONTAINER_CREDENTIALS_FULL_URI", uri()));
        env.putAll(extra);
        return RoleCredentials.from(env, clock);
    }

    @Test
    void theAccessKeyVariablesWinAndCarryTheSessionToken() {
        Map<String, String> env = Map.of("AWS_ACCESS_KEY_ID", " AKIDENV ", "AWS_SECRET_ACCESS_KEY", "env-secret\n",
                "AWS_SESSION_TOKEN", "env-session", "AWS_CONTAINER_CREDENTIALS_FULL_URI", uri());

        AwsCredentialsIdentity credentials = RoleCredentials.from(env, clock).current();

        AwsSessionCredentialsIdentity session = assertInstanceOf(AwsSessionCredentialsIdentity.class, credentials);
        assertEquals("AKIDENV", session.accessKeyId());
        assertEquals("env-secret", session.secretAccessKey());
        assertEquals("env-session", session.sessionToken());
        assertEquals(0, served.get(), "the endpoint is not asked");
    }

    @Test
    void withoutASessionTokenTheKeysAloneSign() {
        AwsCredentialsIdentity credentials = RoleCredentials.from(Map.of("AWS_ACCESS_KEY_ID", "AKIDENV",
                "AWS_SECRET_ACCESS_KEY", "env-secret", "AWS_SESSION_TOKEN", " "), clock).current();

        assertFalse(credentials instanceof AwsSessionCredentialsIdentity);
        assertEquals("AKIDENV", credentials.accessKeyId());
    }

    @Test
    void withNeitherEveryCallFailsNamingTheVariables() {
        RoleCredentials none = RoleCredentials.from(Map.of("AWS_ACCESS_KEY_ID", "AKIDWITHOUTSECRET"), clock);

        IllegalStateException e = assertThrows(IllegalStateException.class, none::current);
        assertTrue(e.getMessage().contains("AWS_CONTAINER_CREDENTIALS_FULL_URI"), e.getMessage());
    }

    @Test
    void containerCredentialsAreFetchedOnceAndKeptUntilFifteenMinutesBeforeTheyExpire() {
        RoleCredentials credentials = container(Map.of("AWS_CONTAINER_AUTHORIZATION_TOKEN", "container-token"));

        assertEquals("AKID1", credentials.current().accessKeyId());
        clock.set(START.plus(Duration.ofMinutes(34)));
        AwsSessionCredentialsIdentity kept = (AwsSessionCredentialsIdentity) credentials.current();
        assertEquals("AKID1", kept.accessKeyId());
        assertEquals("secret-1", kept.secretAccessKey());
        assertEquals("session-1", kept.sessionToken());
        assertEquals(1, served.get());

        clock.advance(Duration.ofMinutes(1));
        assertEquals("AKID2", credentials.current().accessKeyId(), "refreshed 15 minutes before the expiry");
        assertEquals(List.of("container-token", "container-token"), authorizations);
    }

    @Test
    void aFailedRefreshBeforeTheExpiryKeepsTheCurrentOnesAndOneAfterItFails() {
        RoleCredentials credentials = container(Map.of());
        assertEquals("AKID1", credentials.current().accessKeyId());

        status = 500;
        clock.set(START.plus(Duration.ofMinutes(40)));
        assertEquals("AKID1", credentials.current().accessKeyId(), "still valid: kept");
        assertEquals(7, served.get(), "the refresh was tried with its five retries");

        clock.set(START.plus(Duration.ofMinutes(49)));
        assertThrows(IllegalStateException.class, credentials::current, "a minute before the expiry they are stale");

        status = 200;
        expiry = Optional.of(clock.instant().plus(Duration.ofHours(1)));
        assertTrue(credentials.current().accessKeyId().startsWith("AKID"));
        assertEquals("null", authorizations.get(0), "no token configured, none sent");
    }

    @Test
    void aServerErrorIsTriedAgainAtOnce() {
        status = 503;
        RoleCredentials credentials = container(Map.of());
        endpoint.createContext("/flaky", exchange -> {
            try (exchange) {
                int n = served.incrementAndGet();
                byte[] body = "{\"AccessKeyId\": \"AKIDFLAKY\", \"SecretAccessKey\": \"s\"}".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(n == 1 ? 503 : 200, n == 1 ? -1 : body.length);
                if (n > 1) {
                    exchange.getResponseBody().write(body);
                }
            }
        });
        RoleCredentials flaky = RoleCredentials.from(Map.of("AWS_CONTAINER_CREDENTIALS_FULL_URI",
                uri().replace("/credentials", "/flaky")), clock);

        assertEquals("AKIDFLAKY", flaky.current().accessKeyId());
        assertEquals(2, served.get());
        assertThrows(IllegalStateException.class, credentials::current, "503 six times: no credentials");
    }

    @Test
    void longLivedOrWithoutAnExpiryTheyAreFetchedAgainAfterAnHour() {
        expiry = Optional.of(START.plus(Duration.ofHours(6)));
        RoleCredentials longLived = container(Map.of());
        assertEquals("AKID1", longLived.current().accessKeyId());
        clock.advance(Duration.ofHours(1));
        assertEquals("AKID2", longLived.current().accessKeyId());

        served.set(0);
        expiry = Optional.empty();
        RoleCredentials credentials = container(Map.of());

        assertEquals("AKID1", credentials.current().accessKeyId());
        clock.advance(Duration.ofMinutes(59));
        assertEquals("AKID1", credentials.current().accessKeyId());
        clock.advance(Duration.ofMinutes(1));
        assertEquals("AKID2", credentials.current().accessKeyId());
    }

    @Test
    void theTokenFileWinsOverTheTokenAndIsReadAtEachFetch(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("token");
        Files.writeString(file, "from-file-1\n");
        RoleCredentials credentials = container(Map.of("AWS_CONTAINER_AUTHORIZATION_TOKEN", "from-variable",
                "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", file.toString()));

        credentials.current();
        Files.writeString(file, "from-file-2");
        clock.advance(Duration.ofHours(6));
        credentials.current();

        assertEquals(List.of("from-file-1", "from-file-2"), authorizations);
    }

    @Test
    void aPlainHttpEndpointOffLoopbackIsRefusedBeforeAnyRequest() {
        // TEST-NET-1 (RFC 5737): refused before a connection is even tried.
        RoleCredentials credentials = RoleCredentials.from(Map.of("AWS_CONTAINER_CREDENTIALS_FULL_URI",
                "http://192.0.2.10/credentials", "AWS_CONTAINER_AUTHORIZATION_TOKEN", "secret-token"), clock);

        IllegalStateException e = assertThrows(IllegalStateException.class, credentials::current);
        assertTrue(e.getMessage().contains("192.0.2.10"), e.getMessage());
    }
}
