package io.pagenow.protocol;

/** Turns the credentials a client sent into the user id every use case runs as. */
@FunctionalInterface
public interface Authenticator {

    /**
     * @param authorization the {@code Authorization} header or query parameter as sent: a raw JWT
     *                      (what the original clients send) or {@code Bearer <JWT>}; null when absent
     * @return the authenticated user id
     * @throws UnauthorizedException when there is no valid token
     * @throws io.pagenow.core.error.StoreUnavailableException when the issuer's keys cannot be fetched
     */
    String authenticate(String authorization);
}
