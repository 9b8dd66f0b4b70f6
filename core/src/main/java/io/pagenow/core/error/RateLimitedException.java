package io.pagenow.core.error;

/** The caller sends faster than flood control allows (429). */
public final class RateLimitedException extends PageNowException {
    public RateLimitedException(String message) {
        super(429, message);
    }
}
