package io.pagenow.lambda;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks a request's Signature Version 4 the way AWS does, from what went over the wire: AWS's
 * published algorithm (canonical request, string to sign, derived key), computed apart from the
 * SDK's signer that production uses, and itself checked against AWS's own test suite
 * ({@code SigV4CheckTest}). Enough of it for the requests here: no path normalization (no dot
 * segments), no presigned URLs.
 */
final class SigV4Check {

    private static final Pattern AUTHORIZATION = Pattern.compile(
            "AWS4-HMAC-SHA256 Credential=([^/]+)/(\\d{8})/([^/]+)/([^/]+)/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})");

    private SigV4Check() {
    }

    /**
     * A request as received.
     *
     * @param path    the path as sent, percent-encoded as it was
     * @param query   the query as sent, or empty
     * @param headers every header line, by name as sent (any case), values in the order received
     */
    record Request(String method, String path, String query, Map<String, List<String>> headers, byte[] body) {

        Request {
            Map<String, List<String>> byName = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            headers.forEach((name, values) -> byName.computeIfAbsent(name, n -> new ArrayList<>()).addAll(values));
            headers = byName;
        }

        Optional<String> header(String name) {
            List<String> values = headers.get(name);
            return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
        }
    }

    /** Why a request's signature does not hold, or empty when it does. */
    static Optional<String> refusal(Request request, Map<String, String> secrets) {
        Optional<String> authorization = request.header("Authorization");
        if (authorization.isEmpty()) {
            return Optional.of("no Authorization header");
        }
        Matcher m = AUTHORIZATION.matcher(authorization.get());
        if (!m.matches()) {
            return Optional.of("not a SigV4 Authorization header: " + authorization.get());
        }
        String secret = secrets.get(m.group(1));
        if (secret == null) {
            return Optional.of("unknown access key " + m.group(1));
        }
        Optional<String> amzDate = request.header("X-Amz-Date");
        if (amzDate.isEmpty() || !amzDate.get().startsWith(m.group(2))) {
            return Optional.of("X-Amz-Date " + amzDate.orElse("missing") + " is not of the credential's day " + m.group(2));
        }
        List<String> signedHeaders = List.of(m.group(5).split(";"));
        for (String required : List.of("host", "x-amz-date")) {
            if (!signedHeaders.contains(required)) {
                return Optional.of(required + " is not signed");
            }
        }
        Optional<String> contentHash = request.header("x-amz-content-sha256");
        if (contentHash.isPresent() && !contentHash.get().equals(hex(sha256(request.body())))) {
            return Optional.of("x-amz-content-sha256 is not the body's hash");
        }
        String expected = signature(secret, m.group(2), m.group(3), m.group(4),
                stringToSign(amzDate.get(), m.group(2) + "/" + m.group(3) + "/" + m.group(4) + "/aws4_request",
                        canonicalRequest(request, signedHeaders)));
        return expected.equals(m.group(6)) ? Optional.empty()
                : Optional.of("signature " + m.group(6) + " is not " + expected + " for\n"
                        + canonicalRequest(request, signedHeaders));
    }

    static String canonicalRequest(Request request, List<String> signedHeaders) {
        StringBuilder canonical = new StringBuilder(request.method()).append('\n')
                .append(encode(request.path(), true)).append('\n')
                .append(canonicalQuery(request.query())).append('\n');
        for (String name : signedHeaders) {
            List<String> values = request.headers().getOrDefault(name, List.of());
            canonical.append(name).append(':')
                    .append(String.join(",", values.stream().map(v -> v.strip().replaceAll(" +", " ")).toList()))
                    .append('\n');
        }
        return canonical.append('\n').append(String.join(";", signedHeaders)).append('\n')
                .append(hex(sha256(request.body()))).toString();
    }

    static String stringToSign(String amzDate, String scope, String canonicalRequest) {
        return "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n"
                + hex(sha256(canonicalRequest.getBytes(StandardCharsets.UTF_8)));
    }

    static String signature(String secret, String day, String region, String service, String stringToSign) {
        byte[] key = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), day);
        key = hmac(key, region);
        key = hmac(key, service);
        key = hmac(key, "aws4_request");
        return hex(hmac(key, stringToSign));
    }

    /** Pairs sorted by encoded name, then encoded value; each decoded first, so it is encoded once. */
    private static String canonicalQuery(String query) {
        if (query.isEmpty()) {
            return "";
        }
        List<String[]> pairs = new ArrayList<>();
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            pairs.add(new String[] {encode(decode(name), false), encode(decode(value), false)});
        }
        pairs.sort((a, b) -> a[0].equals(b[0]) ? a[1].compareTo(b[1]) : a[0].compareTo(b[0]));
        return String.join("&", pairs.stream().map(p -> p[0] + "=" + p[1]).toList());
    }

    /** Every byte but the unreserved ones (and '/', in a path) as %XX: a path's '%' too, hence its double encoding. */
    private static String encode(String text, boolean path) {
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
                    || c == '.' || c == '~' || (path && c == '/')) {
                out.append(c);
            } else {
                out.append('%').append(HexFormat.of().withUpperCase().toHexDigits(b));
            }
        }
        return out.toString();
    }

    private static String decode(String text) {
        return java.net.URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes).toLowerCase(Locale.ROOT);
    }
}
