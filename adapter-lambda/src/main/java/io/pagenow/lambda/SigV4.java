package io.pagenow.lambda;

import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Signs a Management API request with AWS Signature Version 4, by the SDK's own signer: the
 * algorithm is AWS's to get right, and the signer alone loads some 140 classes of the SDK where
 * its service client loaded some 1,600.
 *
 * @param service the signing name ({@link #SERVICE} for the Management API)
 * @param clock   the signature's time: AWS refuses one more than five minutes off its own
 */
record SigV4(String service, String region, Clock clock) {

    /** The Management API's signing name: API Gateway's execute-api, as the IAM policy says. */
    static final String SERVICE = "execute-api";
    private static final AwsV4HttpSigner SIGNER = AwsV4HttpSigner.create();

    /**
     * The headers to send with the request besides its own: {@code Authorization}, {@code X-Amz-Date},
     * {@code x-amz-content-sha256} and, with session credentials, {@code X-Amz-Security-Token}.
     * {@code Host} is signed as the HTTP client sends it (the port only when not the scheme's
     * default) and left out: the client sets it.
     *
     * @param uri     the request's URI, its path as sent (percent-encoded)
     * @param headers the request's headers that are signed with it (none may be Host)
     */
    Map<String, List<String>> sign(String method, URI uri, Map<String, List<String>> headers, byte[] body,
                                   AwsCredentialsIdentity credentials) {
        SdkHttpRequest.Builder request = SdkHttpRequest.builder().method(SdkHttpMethod.fromValue(method)).uri(uri);
        headers.forEach(request::putHeader);
        SdkHttpRequest signed = SIGNER.sign(r -> r.identity(credentials).request(request.build())
                .payload(ContentStreamProvider.fromByteArrayUnsafe(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, clock)).request();
        Map<String, List<String>> added = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        added.putAll(signed.headers());
        added.remove("Host");
        headers.keySet().forEach(added::remove);
        return added;
    }
}
