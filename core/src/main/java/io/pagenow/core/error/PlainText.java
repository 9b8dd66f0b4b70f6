package io.pagenow.core.error;

/**
 * The one rule for text a client sends (message contents, titles, URLs, ids): no control
 * characters but tab and newline, and no unpaired surrogate. PostgreSQL refuses NUL in text, a
 * lone surrogate has no UTF-8 form (it was stored as {@code ?}), and the other control characters
 * are never typed by a person but do rewrite terminals and logs.
 */
public final class PlainText {

    private PlainText() {
    }

    /** Returns {@code value} when it is plain text; null passes (the caller checks presence). */
    public static String require(String field, String value) {
        if (value != null && !isPlain(value)) {
            throw new InvalidInputException("'" + field + "' must not contain control characters"
                    + " (other than tab and newline) or unpaired surrogates");
        }
        return value;
    }

    static boolean isPlain(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c)) {
                if (c != '\t' && c != '\n') {
                    return false;
                }
            } else if (Character.isHighSurrogate(c)) {
                if (i + 1 == value.length() || !Character.isLowSurrogate(value.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }
}
