package io.pagenow.db.archfixture;

import org.junit.jupiter.api.Assertions;

/** Breaks the module's allow-list on purpose, to show the rule can fail. */
public final class UsesJunit {
    public void check() {
        Assertions.fail("never called");
    }
}
