package io.pagenow.lambda;

import io.pagenow.core.delivery.Channel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient;

import java.net.URI;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This container's clients of the API Gateway Management API: one per endpoint, built on first
 * use (or ahead of it by {@link #prepare}), SigV4-signed with the function's credentials, all on
 * one HTTP client. How a call is made lives here; what a push does with it, in
 * {@link ApiGatewayClientPush}.
 */
final class ManagementClients implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ManagementClients.class);

    private final ManagementEndpoints endpoints;
    private final AwsCredentialsProvider credentials;
    private final Region region;
    private final Duration callTimeout;
    private final Map<URI, ApiGatewayManagementApiClient> clients = new ConcurrentHashMap<>();
    private volatile SdkHttpClient httpClient;

    /** @param callTimeout bounds each call, its one retry included */
    ManagementClients(ManagementEndpoints endpoints, AwsCredentialsProvider credentials, Region region,
                      Duration callTimeout) {
        this.endpoints = endpoints;
        this.credentials = credentials;
        this.region = region;
        this.callTimeout = callTimeout;
    }

    /** The client of the WebSocket API of {@code channel}; empty while its endpoint is not known. */
    Optional<ApiGatewayManagementApiClient> of(Channel channel) {
        return endpoints.of(channel).map(endpoint -> clients.computeIfAbsent(endpoint, this::newClient));
    }

    /**
     * Builds the client of each endpoint known now, on a background thread: a function that pushes
     * would otherwise load the SDK's classes while its first push waits. Only functions that push
     * call it; the REST function's first answer would only share its core with the work.
     */
    void prepare(Collection<URI> known) {
        if (known.isEmpty()) {
            return;
        }
        Thread thread = new Thread(() -> {
            try {
                prepareNow(known);
            } catch (RuntimeException e) {
                LOG.warn("Preparing the Management API client failed: {}", e.toString());
            }
        }, "management-api-prepare");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Builds the clients of {@code known} on this thread, or waits for the build {@link #prepare}
     * started: before a SnapStart snapshot, which should hold them.
     */
    void prepareNow(Collection<URI> known) {
        known.forEach(endpoint -> clients.computeIfAbsent(endpoint, this::newClient));
    }

    private ApiGatewayManagementApiClient newClient(URI endpoint) {
        return ApiGatewayManagementApiClient.builder()
                .endpointOverride(endpoint)
                .region(region)
                .credentialsProvider(credentials)
                .httpClient(httpClient())
                .overrideConfiguration(o -> o
                        .apiCallTimeout(callTimeout)
                        // One retry for a throttle or a 5xx; more would hold the whole fan-out back.
                        .retryStrategy(b -> b.maxAttempts(2)))
                .build();
    }

    private SdkHttpClient httpClient() {
        SdkHttpClient client = httpClient;
        if (client == null) {
            synchronized (this) {
                client = httpClient;
                if (client == null) {
                    client = UrlConnectionHttpClient.builder()
                            .connectionTimeout(Duration.ofSeconds(2))
                            .socketTimeout(callTimeout)
                            .build();
                    httpClient = client;
                }
            }
        }
        return client;
    }

    @Override
    public void close() {
        clients.values().forEach(ApiGatewayManagementApiClient::close);
        if (httpClient != null) {
            httpClient.close();
        }
    }
}
