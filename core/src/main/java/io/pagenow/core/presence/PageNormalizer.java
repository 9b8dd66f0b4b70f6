package io.pagenow.core.presence;

import io.pagenow.core.presence.port.out.RegistrableDomains;
import io.pagenow.core.social.ShareSettings;

import java.net.IDN;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns what a client says it is viewing into the page friends may see. */
final class PageNormalizer {

    /**
     * A web page, and its authority. Read by hand rather than by {@link java.net.URI}, which
     * refuses what browsers send every day ({@code |}, {@code {}}, {@code ^} in a query, hosts in
     * Unicode) and so lost the domain. Browsers read any run of slashes or backslashes after an
     * http(s) scheme as {@code //}, and so does this.
     */
    private static final Pattern WEB_PAGE = Pattern.compile("(?i)https?:[/\\\\]*([^/\\\\?#]*)");

    private final RegistrableDomains domains;

    PageNormalizer(RegistrableDomains domains) {
        this.domains = domains;
    }

    /**
     * The page, without user info and shortened to the limits, with the registrable domain of the
     * URL as sent; or
     * {@link Page#EMPTY} when it is no web page (a local file, a browser page, a script: nothing
     * a friend could open, and possibly private) or its domain is not shared.
     */
    Page normalize(String url, String title, Optional<ShareSettings> settings) {
        Matcher page = WEB_PAGE.matcher(url);
        if (!page.lookingAt()) {
            return Page.EMPTY;
        }
        String domain = domainOf(page.group(1));
        if (settings.isPresent() && !settings.get().shares(domain)) {
            return Page.EMPTY;
        }
        return new Page(PageShortening.url(withoutUserInfo(url, page)), PageShortening.title(title), domain);
    }

    /**
     * The URL without {@code user:password@}: credentials some sites still carry in links are the
     * user's secret, never part of the page a friend may open.
     */
    private static String withoutUserInfo(String url, Matcher page) {
        int at = page.group(1).lastIndexOf('@');
        return at < 0 ? url : url.substring(0, page.start(1)) + url.substring(page.start(1) + at + 1);
    }

    private String domainOf(String authority) {
        String host = hostOf(authority);
        return host.isEmpty() ? "" : domains.of(host);
    }

    /**
     * The host without user info or port, lower case, and in ASCII as browsers send it, so that
     * {@code bücher.com} and {@code xn--bcher-kva.com} are one domain to share settings.
     */
    private static String hostOf(String authority) {
        String host = authority.substring(authority.lastIndexOf('@') + 1);
        int end = host.startsWith("[") ? host.indexOf(']') + 1 : host.indexOf(':');
        if (end > 0) {
            host = host.substring(0, end);
        }
        host = host.toLowerCase(Locale.ROOT);
        if (host.chars().allMatch(c -> c < 0x80)) {
            return host;
        }
        try {
            return IDN.toASCII(host, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return host;
        }
    }
}
