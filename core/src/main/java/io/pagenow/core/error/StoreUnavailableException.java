package io.pagenow.core.error;

/**
 * A store (database, cache) could not be reached or answered with an error. Transports
 * answer 503 without the cause's details; the cause is kept for the server's own logs.
 *
 * <p>A {@linkplain #busy(String, Throwable) busy} store answers, but every connection this node
 * holds to it stayed in use for longer than the wait allowed: the node is overloaded, the store
 * is not out. The client gets the same 503; a store's circuit does not count it as a failure,
 * so an overload does not turn into an outage of its own making.
 */
public final class StoreUnavailableException extends RuntimeException {

    private final boolean busy;

    public StoreUnavailableException(String store, Throwable cause) {
        this(store + " unavailable", cause, false);
    }

    private StoreUnavailableException(String message, Throwable cause, boolean busy) {
        super(message, cause);
        this.busy = busy;
    }

    /** No connection to the store came free in time, while the store itself answers. */
    public static StoreUnavailableException busy(String store, Throwable cause) {
        return new StoreUnavailableException(store + " busy", cause, true);
    }

    public boolean busy() {
        return busy;
    }
}
