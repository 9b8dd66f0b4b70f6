package io.pagenow.lambda;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Calls the API Gateway Management API: {@code POST} (push) and {@code DELETE} (close) on
 * {@code {endpoint}/@connections/{connectionId}}, SigV4-signed with the role's credentials, over
 * the JDK's {@link HttpURLConnection} (which the token verifier's key fetch has loaded already;
 * {@code java.net.http} would load some 1,200 classes more). Each call has 5 seconds, its one retry
 * included; a 5xx, a throttle or a broken connection is tried once more after a short random pause,
 * as the SDK's client did. How a call is made lives here; what a push does with the answer, in
 * {@link ApiGatewayClientPush}.
 *
 * @param callTimeout bounds each call, its one retry included
 */
record ManagementApi(RoleCredentials credentials, SigV4 signer, Duration callTimeout) {

    private static final Logger LOG = LoggerFactory.getLogger(ManagementApi.class);
    private static final int ATTEMPTS = 2;
    private static final int CONNECT_TIMEOUT_MILLIS = 2000;
    private static final Set<Integer> RETRIED_STATUSES = Set.of(500, 502, 503, 504);
    /** The error types API Gateway throttles with (its 429 says so too). */
    private static final Set<String> THROTTLES = Set.of("LimitExceededException", "ThrottlingException",
            "TooManyRequestsException", "Throttling");
    /**
     * The pauses before the retry that the SDK's default (legacy) retry mode makes: up to 100 ms
     * after a failure, 250 to 500 ms after a throttle.
     */
    private static final long PAUSE_MILLIS = 100;
    private static final long THROTTLED_PAUSE_MILLIS = 500;
    private static final Map<String, List<String>> JSON = Map.of("Content-Type", List.of("application/json"));

    /** Posts {@code data} to a connection; answers the final HTTP status (410: the connection is gone). */
    int post(URI endpoint, String connectionId, byte[] data) throws IOException {
        return call("POST", connection(endpoint, connectionId), data);
    }

    /** Closes a connection; answers the final HTTP status (410: closed already). */
    int delete(URI endpoint, String connectionId) throws IOException {
        return call("DELETE", connection(endpoint, connectionId), new byte[0]);
    }

    /**
     * Signs a request nobody sends on a background thread, so that a function that pushes loads the
     * signer's classes during its init instead of during its first push.
     */
    void prepare() {
        Thread thread = new Thread(() -> {
            try {
                prepareNow();
            } catch (RuntimeException e) {
                LOG.warn("Preparing the Management API signer failed: {}", e.toString());
            }
        }, "management-api-prepare");
        thread.setDaemon(true);
        thread.start();
    }

    /** The same on this thread: before a SnapStart snapshot, which should hold the signer's classes. */
    void prepareNow() {
        signer.sign("POST", URI.create("https://prepare.invalid/stage/@connections/prepare"), JSON, new byte[0],
                AwsCredentialsIdentity.create("PREPARE", "prepare"));
    }

    /** What one attempt got back: its status, and the error type API Gateway named, or null. */
    private record Answer(int status, String errorType) {

        boolean throttled() {
            return status == 429 || (errorType != null && THROTTLES.contains(errorType.split(":", 2)[0].strip()));
        }

        boolean retried() {
            return RETRIED_STATUSES.contains(status) || throttled();
        }
    }

    private int call(String method, URI uri, byte[] body) throws IOException {
        long deadline = System.nanoTime() + callTimeout.toNanos();
        for (int attempt = 1; ; attempt++) {
            long pause;
            try {
                Answer answer = attempt(method, uri, body, deadline);
                if (attempt == ATTEMPTS || !answer.retried()) {
                    return answer.status();
                }
                pause = answer.throttled()
                        ? THROTTLED_PAUSE_MILLIS / 2 + ThreadLocalRandom.current().nextLong(THROTTLED_PAUSE_MILLIS / 2 + 1)
                        : ThreadLocalRandom.current().nextLong(PAUSE_MILLIS + 1);
                if (millisLeft(deadline) <= pause) {
                    return answer.status();
                }
            } catch (IOException e) {
                // A read that timed out had all the time left; a connection that did not open in 2 s may leave some.
                pause = ThreadLocalRandom.current().nextLong(PAUSE_MILLIS + 1);
                if (attempt == ATTEMPTS || millisLeft(deadline) <= pause) {
                    throw e;
                }
            }
            pauseFor(pause);
        }
    }

    private Answer attempt(String method, URI uri, byte[] body, long deadline) throws IOException {
        int left = (int) Math.max(1, millisLeft(deadline));
        HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
        connection.setRequestMethod(method);
        connection.setConnectTimeout(Math.min(CONNECT_TIMEOUT_MILLIS, left));
        connection.setReadTimeout(left);
        connection.setInstanceFollowRedirects(false);
        connection.setUseCaches(false);
        Map<String, List<String>> headers = method.equals("POST") ? JSON : Map.of();
        headers.forEach((name, values) -> values.forEach(value -> connection.addRequestProperty(name, value)));
        signer.sign(method, uri, headers, body, credentials.current())
                .forEach((name, values) -> values.forEach(value -> connection.addRequestProperty(name, value)));
        if (method.equals("POST")) {
            connection.setDoOutput(true);
            connection.setFixedLengthStreamingMode(body.length);
            try (OutputStream out = connection.getOutputStream()) {
                out.write(body);
            }
        }
        int status = connection.getResponseCode();
        String errorType = connection.getHeaderField("x-amzn-ErrorType");
        // Read to the end and closed, the connection goes back to the JDK's keep-alive cache.
        try (InputStream answer = status < 400 ? connection.getInputStream() : connection.getErrorStream()) {
            if (answer != null) {
                answer.readAllBytes();
            }
        }
        return new Answer(status, errorType);
    }

    private static long millisLeft(long deadline) {
        return TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
    }

    private static void pauseFor(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted before the retry");
        }
    }

    /**
     * {@code {endpoint}/@connections/{connectionId}}, the id percent-encoded as RFC 3986 says (its
     * '=', '+' and '/' too), by the SDK's own encoder, the one its signer encodes paths with.
     */
    static URI connection(URI endpoint, String connectionId) {
        String base = endpoint.toString();
        if (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return URI.create(base + "/@connections/" + SdkHttpUtils.urlEncode(connectionId));
    }
}
