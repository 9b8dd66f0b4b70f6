package io.pagenow.lambda;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The signatures production makes (the SDK's signer, through {@link SigV4}) hold under AWS's
 * algorithm ({@link SigV4Check}, itself checked against AWS's test suite): a Management API call as
 * {@link ManagementApi} makes it, and each request of the suite.
 */
class SigV4Test {

    private static final Clock SUITE_TIME = Clock.fixed(Instant.parse("2015-08-30T12:36:00Z"), ZoneOffset.UTC);
    private static final Map<String, String> SECRETS = Map.of("AKIDEXAMPLE", SigV4CheckTest.SECRET);

    @Test
    void aManagementApiCallIsSignedForExecuteApiWithItsSessionTokenAndItsPathEncodedTwice() {
        URI uri = ManagementApi.connection(URI.create("https://abc123.execute-api.eu-west-1.amazonaws.com/prod"),
                "ab+c/d=");
        assertEquals("/prod/@connections/ab%2Bc%2Fd%3D", uri.getRawPath());
        byte[] body = "{\"type\":\"presence-timeout\",\"userId\":\"alice\"}".getBytes(StandardCharsets.UTF_8);
        Map<String, List<String>> headers = Map.of("Content-Type", List.of("application/json"));

        Map<String, List<String>> added = new SigV4(SigV4.SERVICE, "eu-west-1", SUITE_TIME).sign("POST", uri, headers,
                body, AwsSessionCredentialsIdentity.create("AKIDEXAMPLE", SigV4CheckTest.SECRET, "session-token"));

        assertEquals(List.of("20150830T123600Z"), added.get("X-Amz-Date"));
        assertEquals(List.of("session-token"), added.get("X-Amz-Security-Token"));
        assertFalse(added.containsKey("Host"), "the HTTP client sends Host itself");
        assertTrue(added.get("Authorization").get(0).startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/"
                + "eu-west-1/execute-api/aws4_request, SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date;"
                + "x-amz-security-token, Signature="), added.toString());
        SigV4Check.Request received = received("POST", uri, headers, added, body);
        assertEquals(Optional.empty(), SigV4Check.refusal(received, SECRETS));
        assertTrue(SigV4Check.canonicalRequest(received, List.of("host"))
                .startsWith("POST\n/prod/%40connections/ab%252Bc%252Fd%253D\n"), "the canonical path is encoded again");

        SigV4Check.Request otherConnection = received("POST", ManagementApi.connection(
                URI.create("https://abc123.execute-api.eu-west-1.amazonaws.com/prod"), "ab+c/e="), headers, added, body);
        assertTrue(SigV4Check.refusal(otherConnection, SECRETS).isPresent());
        SigV4Check.Request otherBody = received("POST", uri, headers, added, "{}".getBytes(StandardCharsets.UTF_8));
        assertTrue(SigV4Check.refusal(otherBody, SECRETS).isPresent());
    }

    @Test
    void aCloseHasNoBodyAndNoContentType() {
        URI uri = ManagementApi.connection(URI.create("http://127.0.0.1:8443/dev/"), "L0SM9cOFvHcCIhw=");
        assertEquals("http://127.0.0.1:8443/dev/@connections/L0SM9cOFvHcCIhw%3D", uri.toString());

        Map<String, List<String>> added = new SigV4(SigV4.SERVICE, "us-west-2", SUITE_TIME).sign("DELETE", uri,
                Map.of(), new byte[0], AwsCredentialsIdentity.create("AKIDEXAMPLE", SigV4CheckTest.SECRET));

        assertFalse(added.containsKey("X-Amz-Security-Token"));
        assertTrue(added.get("Authorization").get(0).contains("SignedHeaders=host;x-amz-content-sha256;x-amz-date,"));
        assertEquals(Optional.empty(), SigV4Check.refusal(received("DELETE", uri, Map.of(), added, new byte[0]),
                SECRETS), "signed with the port, as the client sends Host off the default port");
    }

    /** Each request of AWS's suite, signed by production's signer, holds under AWS's algorithm. */
    @ParameterizedTest
    @ValueSource(strings = {"get-vanilla", "get-unreserved", "get-header-key-duplicate", "get-header-value-order",
            "get-header-value-trim", "get-vanilla-query-order-key-case", "get-vanilla-query-order-value",
            "get-vanilla-utf8-query", "post-vanilla", "post-header-key-sort", "post-header-value-case",
            "post-vanilla-query", "post-x-www-form-urlencoded", "post-sts-header-before"})
    void theSuitesRequestsSignedByProductionHold(String name) throws IOException {
        SigV4Check.Request suite = SigV4CheckTest.request(SigV4CheckTest.read(name + ".req"), null);
        URI uri = URI.create("https://example.amazonaws.com" + suite.path()
                + (suite.query().isEmpty() ? "" : "?" + suite.query()));
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.putAll(suite.headers());
        headers.keySet().removeAll(List.of("Host", "X-Amz-Date", "X-Amz-Security-Token"));
        Optional<String> token = suite.header("X-Amz-Security-Token");
        AwsCredentialsIdentity credentials = token.<AwsCredentialsIdentity>map(t -> AwsSessionCredentialsIdentity
                .create("AKIDEXAMPLE", SigV4CheckTest.SECRET, t))
                .orElseGet(() -> AwsCredentialsIdentity.create("AKIDEXAMPLE", SigV4CheckTest.SECRET));

        Map<String, List<String>> added = new SigV4("service", "us-east-1", SUITE_TIME).sign(suite.method(), uri,
                headers, suite.body(), credentials);

        assertEquals(Optional.empty(), SigV4Check.refusal(received(suite.method(), uri, headers, added, suite.body()),
                SECRETS));
    }

    /** The request as it arrives: its own headers, the signature's, and the Host the HTTP client adds. */
    private static SigV4Check.Request received(String method, URI uri, Map<String, List<String>> headers,
                                               Map<String, List<String>> added, byte[] body) {
        Map<String, List<String>> sent = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        sent.putAll(headers);
        sent.putAll(added);
        sent.put("Host", List.of(uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort()));
        return new SigV4Check.Request(method, uri.getRawPath(), uri.getRawQuery() == null ? "" : uri.getRawQuery(),
                sent, body);
    }
}
