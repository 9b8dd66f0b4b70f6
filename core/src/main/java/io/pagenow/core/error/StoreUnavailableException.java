package io.pagenow.core.error;

/**
 * A store (database, cache) could not be reached or answered with an error. Transports
 * answer 503 without the cause's details; the cause is kept for the server's own logs.
 */
public final class StoreUnavailableException extends RuntimeException {
    public StoreUnavailableException(String store, Throwable cause) {
        super(store + " unavailable", cause);
    }
}
