package io.pagenow.protocol;

/**
 * A part of this process is not serving yet or any more (the server starting or stopping, its token
 * verifier not built): no store is out, so it is not a {@link io.pagenow.core.error.StoreUnavailableException},
 * but the client's answer is the same 503 and retry, since another moment or another node will serve it.
 */
public final class NotReadyException extends RuntimeException {

    /** @param what the part and its state, for the log: {@code "server (stopping)"} */
    public NotReadyException(String what) {
        super(what, null, false, false);
    }
}
