package io.pagenow.lambda;

import io.pagenow.core.delivery.Channel;

import java.net.URI;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where the API Gateway Management API of each WebSocket API answers. A configured endpoint wins
 * (it is the only way with a custom domain name, and the only one the REST and scheduled handlers
 * have); otherwise the endpoint a WebSocket event came through, {@code https://{domainName}/{stage}}.
 */
final class ManagementEndpoints {

    private final Map<Channel, URI> configured;
    private final Map<Channel, URI> learned = new ConcurrentHashMap<>();

    ManagementEndpoints(Map<Channel, URI> configured) {
        this.configured = configured.isEmpty() ? Map.of() : new EnumMap<>(configured);
    }

    /** Remembers the endpoint of the API a WebSocket event of {@code channel} came through. */
    void learn(Channel channel, String domainName, String stage) {
        if (configured.containsKey(channel) || domainName == null || domainName.isBlank() || stage == null
                || stage.isBlank()) {
            return;
        }
        learned.put(channel, URI.create("https://" + domainName + "/" + stage));
    }

    Optional<URI> of(Channel channel) {
        URI uri = configured.get(channel);
        return uri != null ? Optional.of(uri) : Optional.ofNullable(learned.get(channel));
    }
}
