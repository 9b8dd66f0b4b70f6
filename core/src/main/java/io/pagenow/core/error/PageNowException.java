package io.pagenow.core.error;

/**
 * An expected failure of a use case: the caller asked for something it may not have or
 * sent something that cannot be done. Each kind carries the HTTP-like status the protocol
 * answers with, so every transport maps them the same way. Infrastructure failures are
 * {@link StoreUnavailableException}, never one of these.
 */
public abstract sealed class PageNowException extends RuntimeException
        permits InvalidInputException, ForbiddenException, NotFoundException, RateLimitedException {

    private final int status;

    protected PageNowException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    /** The HTTP-like status code this failure is answered with. */
    public int status() {
        return status;
    }
}
