package io.pagenow.core.error;

/** The thing asked for does not exist (404). */
public final class NotFoundException extends PageNowException {
    public NotFoundException(String message) {
        super(404, message);
    }
}
