package io.pagenow.core.error;

/** A missing or malformed field, or a value outside its range (400). The message names the field. */
public final class InvalidInputException extends PageNowException {
    public InvalidInputException(String message) {
        super(400, message);
    }

    public static InvalidInputException missing(String field) {
        return new InvalidInputException("Missing '" + field + "'");
    }
}
