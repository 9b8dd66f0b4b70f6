package io.pagenow.protocol;

/**
 * The caller could not be identified: no token, or one that fails verification (401). Kept out of
 * the core's error family because identity is a transport concern; the core only sees user ids.
 */
public final class UnauthorizedException extends RuntimeException {
    public UnauthorizedException(String message) {
        super(message, null, false, false);
    }
}
