package io.pagenow.protocol;

import io.pagenow.config.Environment;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * Which tokens the server accepts.
 *
 * @param jwksUrl  where the issuer publishes its public keys
 * @param issuer   the exact {@code iss} every token must carry
 * @param audience when present, the {@code aud} (ID token) or {@code client_id} (access token) required
 */
public record AuthSettings(URI jwksUrl, String issuer, Optional<String> audience) {

    public AuthSettings {
        Objects.requireNonNull(jwksUrl, "jwksUrl");
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(audience, "audience");
        if (issuer.isBlank()) {
            throw new IllegalArgumentException("issuer must not be blank");
        }
    }

    /**
     * The issuer of {@code AUTH_ISSUER} with its keys at {@code AUTH_JWKS_URL}, read the same by
     * every composition root; the two go together.
     *
     * @return empty when neither is set
     * @throws io.pagenow.config.ConfigurationException naming the variable when one is set without
     *         the other, or the URL is malformed
     */
    public static Optional<AuthSettings> fromIssuerVariables(Environment env, Optional<String> audience) {
        Optional<URI> jwks = env.url("AUTH_JWKS_URL");
        if (!env.together("AUTH_JWKS_URL", "AUTH_ISSUER")) {
            return Optional.empty();
        }
        return Optional.of(new AuthSettings(jwks.orElseThrow(), env.text("AUTH_ISSUER").orElseThrow(), audience));
    }

    /** The settings of a Cognito user pool, which publishes its keys under its issuer URL. */
    public static AuthSettings cognito(String region, String poolId, Optional<String> clientId) {
        String issuer = "https://cognito-idp." + region + ".amazonaws.com/" + poolId;
        return new AuthSettings(URI.create(issuer + "/.well-known/jwks.json"), issuer, clientId);
    }
}
