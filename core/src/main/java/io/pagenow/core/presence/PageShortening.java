package io.pagenow.core.presence;

/**
 * The one rule that fits a page into what friends are shown. Clients send the current tab whatever
 * its length and ignore errors, so refusing a long page would leave friends seeing the page the
 * user already left; it is shortened instead. Lengths count code points, as the chat's do, and a
 * cut never splits a surrogate pair.
 */
final class PageShortening {

    /** Longest URL shared, in code points. */
    static final int MAX_URL_LENGTH = 2048;
    /** Longest title shared, in code points, its ellipsis included. */
    static final int MAX_TITLE_LENGTH = 512;

    private static final String ELLIPSIS = "\u2026";

    private PageShortening() {
    }

    /**
     * The URL whole if it fits; else without its fragment, then without its query (tracking
     * parameters, single sign-on state: the least telling parts, and the likeliest to be secret),
     * then cut at the limit.
     */
    static String url(String url) {
        if (fits(url, MAX_URL_LENGTH)) {
            return url;
        }
        String shorter = before(url, '#');
        if (fits(shorter, MAX_URL_LENGTH)) {
            return shorter;
        }
        shorter = before(shorter, '?');
        if (fits(shorter, MAX_URL_LENGTH)) {
            return shorter;
        }
        return firstCodePoints(shorter, MAX_URL_LENGTH);
    }

    /** The title whole if it fits; else cut, with an ellipsis to show it was. */
    static String title(String title) {
        if (fits(title, MAX_TITLE_LENGTH)) {
            return title;
        }
        return firstCodePoints(title, MAX_TITLE_LENGTH - 1) + ELLIPSIS;
    }

    private static boolean fits(String text, int limit) {
        // Every code point takes one or two chars: the count is only needed between the bounds.
        return text.length() <= limit
                || text.length() <= 2 * limit && text.codePointCount(0, text.length()) <= limit;
    }

    private static String before(String text, char delimiter) {
        int at = text.indexOf(delimiter);
        return at < 0 ? text : text.substring(0, at);
    }

    private static String firstCodePoints(String text, int count) {
        return text.substring(0, text.offsetByCodePoints(0, count));
    }
}
