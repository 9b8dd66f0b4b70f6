package io.pagenow.config;

/**
 * The one way a URL that may carry credentials is shown in a log line or a {@code toString}: the
 * user-info ({@code user:password@}) and the query ({@code ?password=...}, {@code ?sslkey=...})
 * become {@code ***}; scheme, host, port and path stay, which is what a deployer needs to see.
 */
public final class Redaction {

    public static final String HIDDEN = "***";

    private Redaction() {
    }

    public static String url(String url) {
        if (url == null) {
            return null;
        }
        String text = url.strip();
        int scheme = text.indexOf("//");
        if (scheme >= 0) {
            int hostStart = scheme + 2;
            int hostEnd = indexOfAny(text, hostStart, "/?#");
            int at = text.lastIndexOf('@', hostEnd - 1);
            if (at >= hostStart) {
                text = text.substring(0, hostStart) + HIDDEN + text.substring(at);
            }
        }
        int query = text.indexOf('?');
        if (query >= 0) {
            int fragment = text.indexOf('#', query);
            text = text.substring(0, query + 1) + HIDDEN + (fragment < 0 ? "" : text.substring(fragment));
        }
        return text;
    }

    private static int indexOfAny(String text, int from, String chars) {
        for (int i = from; i < text.length(); i++) {
            if (chars.indexOf(text.charAt(i)) >= 0) {
                return i;
            }
        }
        return text.length();
    }
}
