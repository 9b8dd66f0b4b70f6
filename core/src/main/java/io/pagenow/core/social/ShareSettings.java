package io.pagenow.core.social;

import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/** Which registrable domains a user lets friends see. Domains compare case-insensitively. */
public record ShareSettings(ShareMode mode, Set<String> allowedDomains, Set<String> deniedDomains) {

    public ShareSettings {
        Objects.requireNonNull(mode, "mode");
        allowedDomains = normalized(allowedDomains);
        deniedDomains = normalized(deniedDomains);
    }

    public static ShareSettings shareAll() {
        return new ShareSettings(ShareMode.DEFAULT_ALL, Set.of(), Set.of());
    }

    /** Whether a page of this registrable domain may be shown to friends. */
    public boolean shares(String domain) {
        String d = domain.toLowerCase(Locale.ROOT);
        return switch (mode) {
            case DEFAULT_ALL -> !deniedDomains.contains(d);
            case DEFAULT_NONE -> allowedDomains.contains(d);
        };
    }

    private static Set<String> normalized(Set<String> domains) {
        if (domains == null) {
            return Set.of();
        }
        return domains.stream().map(d -> d.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    }
}
