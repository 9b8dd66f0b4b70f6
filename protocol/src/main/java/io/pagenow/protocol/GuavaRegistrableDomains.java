package io.pagenow.protocol;

import com.google.common.net.InetAddresses;
import com.google.common.net.InternetDomainName;
import io.pagenow.core.presence.port.RegistrableDomains;

/**
 * The Public Suffix List as Guava ships it, private section included, so that
 * {@code alice.github.io} stays {@code alice.github.io} while {@code news.bbc.co.uk} becomes
 * {@code bbc.co.uk}.
 */
public final class GuavaRegistrableDomains implements RegistrableDomains {

    @Override
    public String of(String host) {
        String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        if (name.isEmpty() || InetAddresses.isUriInetAddress(name) || !InternetDomainName.isValid(name)) {
            return name;
        }
        InternetDomainName domain = InternetDomainName.from(name);
        return domain.isUnderPublicSuffix() ? domain.topPrivateDomain().toString() : name;
    }
}
