package io.pagenow.protocol.archfixture;

import org.junit.jupiter.api.Assertions;

/** Breaks the protocol's allow-list on purpose, to show the rule can fail. */
public final class UsesJunit {
    public void check() {
        Assertions.fail("never called");
    }
}
