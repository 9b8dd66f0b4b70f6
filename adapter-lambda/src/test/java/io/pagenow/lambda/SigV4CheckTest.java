package io.pagenow.lambda;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The signature check the Management API stub runs, against AWS's own test suite
 * ({@code src/test/resources/aws-sig-v4-test-suite}): each step of the algorithm gives what AWS
 * published, and a signed request checks out while a changed one does not.
 */
class SigV4CheckTest {

    static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

    @ParameterizedTest
    @ValueSource(strings = {"get-vanilla", "get-unreserved", "get-space", "get-header-key-duplicate",
            "get-header-value-order", "get-header-value-trim", "get-vanilla-query-order-key-case",
            "get-vanilla-query-order-value", "get-vanilla-utf8-query", "post-vanilla", "post-header-key-sort",
            "post-header-value-case", "post-vanilla-query", "post-x-www-form-urlencoded", "post-sts-header-before"})
    void eachStepGivesWhatAwsPublished(String name) throws IOException {
        SigV4Check.Request request = request(read(name + ".req"), null);
        String authz = read(name + ".authz");
        List<String> signedHeaders = List.of(authz.replaceAll(".*SignedHeaders=([^,]+),.*", "$1").split(";"));

        String canonical = SigV4Check.canonicalRequest(request, signedHeaders);
        assertEquals(read(name + ".creq"), canonical);
        String stringToSign = SigV4Check.stringToSign("20150830T123600Z", "20150830/us-east-1/service/aws4_request",
                canonical);
        assertEquals(read(name + ".sts"), stringToSign);
        assertEquals(authz.replaceAll(".*Signature=", ""),
                SigV4Check.signature(SECRET, "20150830", "us-east-1", "service", stringToSign));

        Map<String, String> secrets = Map.of("AKIDEXAMPLE", SECRET);
        assertEquals(java.util.Optional.empty(), SigV4Check.refusal(request(read(name + ".req"), authz), secrets));
        SigV4Check.Request changed = request(read(name + ".req").replace("20150830T123600Z", "20150830T123601Z"), authz);
        assertTrue(SigV4Check.refusal(changed, secrets).isPresent());
        assertTrue(SigV4Check.refusal(request(read(name + ".req"), authz), Map.of("AKIDEXAMPLE", "other")).isPresent());
    }

    /** A {@code .req} file: the request line, header lines (a name may repeat), a blank line, the body. */
    static SigV4Check.Request request(String req, String authorization) {
        String[] headAndBody = req.split("\n\n", 2);
        String[] lines = headAndBody[0].split("\n");
        String method = lines[0].substring(0, lines[0].indexOf(' '));
        String target = lines[0].substring(method.length() + 1, lines[0].lastIndexOf(" HTTP/1.1"));
        int question = target.indexOf('?');
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.computeIfAbsent(lines[i].substring(0, colon), n -> new ArrayList<>()).add(lines[i].substring(colon + 1));
        }
        if (authorization != null) {
            headers.put("Authorization", List.of(authorization));
        }
        return new SigV4Check.Request(method, question < 0 ? target : target.substring(0, question),
                question < 0 ? "" : target.substring(question + 1), headers,
                (headAndBody.length > 1 ? headAndBody[1] : "").getBytes(StandardCharsets.UTF_8));
    }

    static String read(String file) throws IOException {
        try (InputStream in = SigV4CheckTest.class.getResourceAsStream("/aws-sig-v4-test-suite/" + file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
