package io.pagenow.protocol;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.google.common.net.InetAddresses;
import com.google.common.net.InternetDomainName;
import io.pagenow.core.presence.port.out.RegistrableDomains;

/**
 * The Public Suffix List as Guava ships it, private section included, so that
 * {@code alice.github.io} stays {@code alice.github.io} while {@code news.bbc.co.uk} becomes
 * {@code bbc.co.uk}.
 *
 * <p>Answers are remembered per host: every presence update asks, users stay on few sites, and
 * the lookup (validation, then a walk of the suffix list) cost 5-7% of the server's CPU in the
 * presence benchmark. The answer for a host never changes while the process runs (the list is in
 * the jar), so a remembered answer is never stale; the bound keeps junk hosts from growing it.
 */
public final class GuavaRegistrableDomains implements RegistrableDomains {

    /** Distinct hosts remembered; the least used are dropped beyond it. */
    static final int CACHED_HOSTS = 10_000;

    private final Cache<String, String> byHost = Caffeine.newBuilder().maximumSize(CACHED_HOSTS).build();

    @Override
    public String of(String host) {
        return byHost.get(host, GuavaRegistrableDomains::lookUp);
    }

    /** The answer without the cache. */
    static String lookUp(String host) {
        String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        if (name.isEmpty() || InetAddresses.isUriInetAddress(name) || !InternetDomainName.isValid(name)) {
            return name;
        }
        InternetDomainName domain = InternetDomainName.from(name);
        return domain.isUnderPublicSuffix() ? domain.topPrivateDomain().toString() : name;
    }
}
