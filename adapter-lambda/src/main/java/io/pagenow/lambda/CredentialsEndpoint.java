package io.pagenow.lambda;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.Proxy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The container credentials endpoint Lambda names where it puts no access keys in the environment
 * (SnapStart), asked as the SDK's {@code ContainerCredentialsProvider} asks it: a GET with the
 * authorization token, 1 s to connect and 1 s to answer, no redirect, no proxy, and a 5xx or a
 * broken connection tried again at once, up to five times (the endpoint is local).
 */
final class CredentialsEndpoint {

    private static final JsonFactory JSON = new JsonFactory();
    /** The ECS agent, which a relative URI is on. */
    private static final String ECS_AGENT = "http://169.254.170.2";
    /** Besides loopback, the only hosts a plain-HTTP endpoint may have: ECS's and EKS Pod Identity's agents. */
    private static final List<InetAddress> AGENT_ADDRESSES = addresses("169.254.170.2", "169.254.170.23", "fd00:ec2::23");
    private static final int TIMEOUT_MILLIS = 1000;
    private static final int RETRIES = 5;

    private final String uri;
    private final boolean fullUri;
    private final Optional<String> token;
    private final Optional<Path> tokenFile;

    /** Credentials as the endpoint answered them, and when they expire (never, when it did not say). */
    record Fetched(AwsCredentialsIdentity credentials, Optional<Instant> expiry) {
    }

    private CredentialsEndpoint(String uri, boolean fullUri, Optional<String> token, Optional<Path> tokenFile) {
        this.uri = uri;
        this.fullUri = fullUri;
        this.token = token;
        this.tokenFile = tokenFile;
    }

    /**
     * {@code AWS_CONTAINER_CREDENTIALS_RELATIVE_URI} (on the ECS agent) or
     * {@code AWS_CONTAINER_CREDENTIALS_FULL_URI}, with the authorization token of
     * {@code AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE} (read at each fetch: it is rotated) or
     * {@code AWS_CONTAINER_AUTHORIZATION_TOKEN}; empty when neither URI is set.
     */
    static Optional<CredentialsEndpoint> from(Map<String, String> environment) {
        Optional<String> relative = RoleCredentials.value(environment, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
        Optional<String> full = RoleCredentials.value(environment, "AWS_CONTAINER_CREDENTIALS_FULL_URI");
        if (relative.isEmpty() && full.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new CredentialsEndpoint(relative.map(r -> ECS_AGENT + r).orElseGet(full::get),
                relative.isEmpty(), RoleCredentials.value(environment, "AWS_CONTAINER_AUTHORIZATION_TOKEN"),
                RoleCredentials.value(environment, "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE").map(Path::of)));
    }

    /** @throws IllegalStateException when the endpoint gave none, after its retries */
    Fetched fetch() {
        URI validated = validated();
        Optional<String> authorization = authorization();
        Exception last = null;
        for (int attempt = 0; attempt <= RETRIES; attempt++) {
            try {
                HttpURLConnection connection = (HttpURLConnection) validated.toURL().openConnection(Proxy.NO_PROXY);
                connection.setConnectTimeout(TIMEOUT_MILLIS);
                connection.setReadTimeout(TIMEOUT_MILLIS);
                connection.setInstanceFollowRedirects(false);
                authorization.ifPresent(value -> connection.setRequestProperty("Authorization", value));
                int status = connection.getResponseCode();
                if (status == 200) {
                    try (InputStream body = connection.getInputStream()) {
                        return parse(body);
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
        URI validated = URI.create(uri);
        if (!fullUri || "https".equals(validated.getScheme())) {
            return validated;
        }
        try {
            for (InetAddress address : InetAddress.getAllByName(validated.getHost())) {
                if (!address.isLoopbackAddress() && !AGENT_ADDRESSES.contains(address)) {
                    throw new IllegalStateException("AWS_CONTAINER_CREDENTIALS_FULL_URI has host " + validated.getHost()
                            + ": a plain-HTTP endpoint must be on loopback or a container agent's address");
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("AWS_CONTAINER_CREDENTIALS_FULL_URI's host " + validated.getHost()
                    + " does not resolve", e);
        }
        return validated;
    }

    /** Literal addresses: no name is looked up. */
    private static List<InetAddress> addresses(String... literals) {
        try {
            List<InetAddress> addresses = new ArrayList<>(literals.length);
            for (String literal : literals) {
                addresses.add(InetAddress.getByName(literal));
            }
            return List.copyOf(addresses);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("not an address literal", e);
        }
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

    private static Fetched parse(InputStream body) throws IOException {
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
        return new Fetched(sessionToken == null ? AwsCredentialsIdentity.create(accessKeyId, secretAccessKey)
                : AwsSessionCredentialsIdentity.create(accessKeyId, secretAccessKey, sessionToken),
                Optional.ofNullable(expiration).map(CredentialsEndpoint::instant));
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
