package io.pagenow.core.presence;

import io.pagenow.core.presence.port.RegistrableDomains;
import io.pagenow.core.social.ShareSettings;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/** Turns what a client says it is viewing into the page friends may see. */
final class PageNormalizer {

    private final RegistrableDomains domains;

    PageNormalizer(RegistrableDomains domains) {
        this.domains = domains;
    }

    /** The page with its registrable domain, or {@link Page#EMPTY} when its domain is not shared. */
    Page normalize(String url, String title, Optional<ShareSettings> settings) {
        if (url.isEmpty()) {
            return Page.EMPTY;
        }
        String domain = domainOf(url);
        if (settings.isPresent() && !settings.get().shares(domain)) {
            return Page.EMPTY;
        }
        return new Page(url, title, domain);
    }

    String domainOf(String url) {
        try {
            String host = new URI(url.strip()).getHost();
            if (host == null || host.isEmpty()) {
                return "";
            }
            return domains.of(host.toLowerCase(Locale.ROOT));
        } catch (URISyntaxException | IllegalArgumentException e) {
            return "";
        }
    }
}
