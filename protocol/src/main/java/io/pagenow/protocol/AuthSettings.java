package io.pagenow.protocol;

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

    /** The settings of a Cognito user pool, which publishes its keys under its issuer URL. */
    public static AuthSettings cognito(String region, String poolId, Optional<String> clientId) {
        String issuer = "https://cognito-idp." + region + ".amazonaws.com/" + poolId;
        return new AuthSettings(URI.create(issuer + "/.well-known/jwks.json"), issuer, clientId);
    }
}
