package io.pagenow.core.social;

import java.util.Optional;

/** How a user shares the pages they visit, as the user service's {@code share_mode} stores it. */
public enum ShareMode {
    /** Share every page except those of denied domains ({@code default_all}). */
    DEFAULT_ALL("default_all"),
    /** Share only pages of allowed domains ({@code default_none}). */
    DEFAULT_NONE("default_none");

    private final String wireName;

    ShareMode(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<ShareMode> fromWireName(String name) {
        for (ShareMode mode : values()) {
            if (mode.wireName.equals(name)) {
                return Optional.of(mode);
            }
        }
        return Optional.empty();
    }
}
