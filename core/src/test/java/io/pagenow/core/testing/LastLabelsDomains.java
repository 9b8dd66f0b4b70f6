package io.pagenow.core.testing;

import io.pagenow.core.presence.port.out.RegistrableDomains;

import java.util.Set;

/**
 * A test stand-in for the Public Suffix List that knows a handful of suffixes: enough for core
 * tests, which test the rules around the domain, not the list itself.
 */
public final class LastLabelsDomains implements RegistrableDomains {

    private static final Set<String> SUFFIXES = Set.of("com", "org", "net", "io", "uk", "co.uk", "github.io", "kr", "co.kr");

    @Override
    public String of(String host) {
        String[] labels = host.split("\\.");
        for (int take = Math.min(labels.length, 3); take >= 1; take--) {
            String suffix = String.join(".", java.util.Arrays.copyOfRange(labels, labels.length - take, labels.length));
            if (SUFFIXES.contains(suffix)) {
                return take < labels.length
                        ? String.join(".", java.util.Arrays.copyOfRange(labels, labels.length - take - 1, labels.length))
                        : host;
            }
        }
        return host;
    }
}
