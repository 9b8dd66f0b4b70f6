package io.pagenow.core.archfixture;

import org.junit.jupiter.api.Assertions;

/** Breaks "the core depends on the JDK only" on purpose. */
public final class UsesJunit {
    public void check() {
        Assertions.fail("never called");
    }
}
