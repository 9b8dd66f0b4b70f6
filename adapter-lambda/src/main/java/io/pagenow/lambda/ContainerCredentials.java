package io.pagenow.lambda;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.Proxy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The role's credentials from the container credentials endpoint, which Lambda names where it puts
 * no access keys in the environment (SnapStart). They expire, so they are fetched again ahead of
 * it, on the schedule the SDK's {@code ContainerCredentialsProvider} keeps: a caller after the
 * prefetch time (15 minutes before the expiry, at most an hour after the fetch) fetches them again
 * while the others keep using the current ones, and a failure there keeps them; from a minute
 * before the expiry (stale) every caller waits for new ones, and a failure fails the call.
 */
final class ContainerCredentials implements RoleCredentials {

    private static final Logger LOG = LoggerFactory.getLogger(ContainerCredentials.class);
    private static final JsonFactory JSON = new JsonFactory();
    /** The ECS agent, which a relative URI is on. */
    private static final String ECS_AGENT = "http://169.254.170.2";
    /** Besides loopback, the only hosts a plain-HTTP endpoint may have: ECS's and EKS Pod Identity's agents. */
    private static final List<String> AGENT_ADDRESSES = List.of("169.254.170.2", "169.254.170.23", "fd00:ec2::23");
    private static final int TIMEOUT_MILLIS = 1000;
    /** The endpoint is local: a 5xx or a broken connection is tried again at once, up to five times. */
    private static final int RETRIES = 5;
    private static final Duration STALE_BEFORE_EXPIRY = Duration.ofMinutes(1);
    private static final Duration PREFETCH_BEFORE_EXPIRY = Duration.ofMinutes(15);
    private static final Duration PREFETCH_AT_THE_LATEST = Duration.ofHours(1);

    private final String endpoint;
    private final boolean fullUri;
    private final Optional<String> token;
    private final Optional<Path> tokenFile;
    private final Clock clock;
    private final ReentrantLock fetching = new ReentrantLock();
    private volatile Held held;

    /** Credentials as fetched, and when to fetch them again. */
    private record Held(AwsCredentialsIdentity credentials, Instant prefetchAt, Optional<Instant> staleAt) {
    }

    private ContainerCredentials(String endpoint, boolean fullUri, Optional<String> token, Optional<Path> tokenFile,
                                 Clock clock) {
        this.endpoint = endpoint;
        this.fullUri = fullUri;
        this.token = token;
        this.tokenFile = tokenFile;
        this.clock = clock;
    }

    /**
     * From {@code AWS_CONTAINER_CREDENTIALS_RELATIVE_URI} (on the ECS agent) or
     * {@code AWS_CONTAINER_CREDENTIALS_FULL_URI}, with the authorization token of
     * {@code AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE} (read at each fetch: it is rotated) or
     * {@code AWS_CONTAINER_AUTHORIZATION_TOKEN}; empty when neither URI is set.
     */
    static Optional<ContainerCredentials> from(Map<String, String> environment, Clock clock) {
        Optional<String> relative = RoleCredentials.value(environment, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
        Optional<String> full = RoleCredentials.value(environment, "AWS_CONTAINER_CREDENTIALS_FULL_URI");
        if (relative.isEmpty() && full.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new ContainerCredentials(relative.map(r -> ECS_AGENT + r).orElseGet(full::get),
                relative.isEmpty(), RoleCredentials.value(environment, "AWS_CONTAINER_AUTHORIZATION_TOKEN"),
                RoleCredentials.value(environment, "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE").map(Path::of), clock));
    }

    @Override
    public AwsCredentialsIdentity current() {
        Held now = held;
        Instant time = clock.instant();
        if (isStale(now, time)) {
            return fetchWaiting(time);
        }
        if (!time.isBefore(now.prefetchAt()) && fetching.tryLock()) {
            try {
                if (held == now) {
                    held = fetch();
                }
            } catch (RuntimeException e) {
                LOG.warn("Fetching new container credentials failed; the current ones are used until {}: {}",
                        now.staleAt().map(Instant::toString).orElse("they fail"), e.getMessage());
            } finally {
                fetching.unlock();
            }
        }
        return held.credentials();
    }

    /** Nothing usable is held: every caller waits for the one fetch. */
    private AwsCredentialsIdentity fetchWaiting(Instant time) {
        fetching.lock();
        try {
            Held now = held;
            if (isStale(now, time)) {
                now = fetch();
                held = now;
            }
            return now.credentials();
        } finally {
            fetching.unlock();
        }
    }

    private static boolean isStale(Held held, Instant time) {
        return held == null || held.staleAt().map(stale -> !time.isBefore(stale)).orElse(false);
    }

    private Held fetch() {
        URI uri = validated();
        Optional<String> authorization = authorization();
        Exception last = null;
        for (int attempt = 0; attempt <= RETRIES; attempt++) {
            try {
                HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection(Proxy.NO_PROXY);
                connection.setConnectTimeout(TIMEOUT_MILLIS);
                connection.setReadTimeout(TIMEOUT_MILLIS);
                connection.setInstanceFollowRedirects(false);
                authorization.ifPresent(value -> connection.setRequestProperty("Authorization", value));
                int status = connection.getResponseCode();
                if (status == 200) {
                    try (InputStream body = connection.getInputStream()) {
                        return held(body);
                    }
                }
                try (InputStream error = connection.getErrorStream()) {
                    if (error != null) {
                        error.readAllBytes();
                    }
                }
                if (status < 500) {
                    throw new IllegalStateException("The container credentials endpoint answered HTTP " + status);
                }
                last = new IOException("HTTP " + status);
            } catch (IOException e) {
                last = e;
            }
        }
        throw new IllegalStateException("Fetching the container credentials failed: " + last.getMessage(), last);
    }

    /** The full URI's host must be loopback or an agent's unless it is HTTPS: the token must not leave the host. */
    private URI validated() {
        URI uri = URI.create(endpoint);
        if (!fullUri || "https".equals(uri.getScheme())) {
            return uri;
        }
        try {
            for (InetAddress address : InetAddress.getAllByName(uri.getHost())) {
                if (!address.isLoopbackAddress() && !isAgent(address)) {
                    throw new IllegalStateException("AWS_CONTAINER_CREDENTIALS_FULL_URI has host " + uri.getHost()
                            + ": a plain-HTTP endpoint must be on loopback or a container agent's address");
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("AWS_CONTAINER_CREDENTIALS_FULL_URI's host " + uri.getHost()
                    + " does not resolve", e);
        }
        return uri;
    }

    private static boolean isAgent(InetAddress address) throws IOException {
        for (String agent : AGENT_ADDRESSES) {
            // Literal addresses: no name is looked up.
            if (InetAddress.getByName(agent).equals(address)) {
                return true;
            }
        }
        return false;
    }

    private Optional<String> authorization() {
        Optional<String> value = token;
        if (tokenFile.isPresent()) {
            try {
                value = Optional.of(Files.readString(tokenFile.get(), StandardCharsets.UTF_8).strip());
            } catch (IOException e) {
                throw new IllegalStateException("Reading AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE failed: " + e, e);
            }
        }
        if (value.isPresent() && (value.get().indexOf('\r') >= 0 || value.get().indexOf('\n') >= 0)) {
            throw new IllegalStateException("The container authorization token holds a line break");
        }
        return value.filter(v -> !v.isEmpty());
    }

    private Held held(InputStream body) throws IOException {
        String accessKeyId = null;
        String secretAccessKey = null;
        String sessionToken = null;
        String expiration = null;
        try (JsonParser parser = JSON.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalStateException("The container credentials endpoint answered something else than an object");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                String text = value == JsonToken.VALUE_STRING ? parser.getText() : null;
                switch (field) {
                    case "AccessKeyId" -> accessKeyId = text;
                    case "SecretAccessKey" -> secretAccessKey = text;
                    case "Token" -> sessionToken = text;
                    case "Expiration" -> expiration = text;
                    default -> parser.skipChildren();
                }
            }
        }
        if (accessKeyId == null || secretAccessKey == null) {
            throw new IllegalStateException("The container credentials endpoint answered no access key or no secret");
        }
        AwsCredentialsIdentity credentials = sessionToken == null
                ? AwsCredentialsIdentity.create(accessKeyId, secretAccessKey)
                : AwsSessionCredentialsIdentity.create(accessKeyId, secretAccessKey, sessionToken);
        Instant now = clock.instant();
        Optional<Instant> expiry = Optional.ofNullable(expiration).map(ContainerCredentials::instant);
        Instant prefetch = now.plus(PREFETCH_AT_THE_LATEST);
        if (expiry.isPresent() && expiry.get().minus(PREFETCH_BEFORE_EXPIRY).isBefore(prefetch)) {
            prefetch = expiry.get().minus(PREFETCH_BEFORE_EXPIRY);
        }
        return new Held(credentials, prefetch, expiry.map(e -> e.minus(STALE_BEFORE_EXPIRY)));
    }

    /** ISO 8601 with an offset, {@code Z} or, as some agents write it, {@code +0000}. */
    private static Instant instant(String text) {
        try {
            return OffsetDateTime.parse(text.endsWith("+0000") ? text.substring(0, text.length() - 5) + "Z" : text)
                    .toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalStateException("The container credentials' Expiration is not a time: " + text, e);
        }
    }
}
