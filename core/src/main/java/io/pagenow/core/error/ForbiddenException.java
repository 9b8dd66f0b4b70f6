package io.pagenow.core.error;

/** The caller is known but may not see or touch what it asked for (403). */
public final class ForbiddenException extends PageNowException {
    public ForbiddenException(String message) {
        super(403, message);
    }
}
