package io.pagenow.redis.archfixture;

import org.junit.jupiter.api.Assertions;

/** Breaks the adapter's allow-list on purpose, to show the rule can fail. */
public final class UsesJunit {
    public void check() {
        Assertions.fail("never called");
    }
}
