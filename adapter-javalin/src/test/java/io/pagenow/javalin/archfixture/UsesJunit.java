package io.pagenow.javalin.archfixture;

import org.junit.jupiter.api.Assertions;

/** Breaks the server's allow-list on purpose. */
public final class UsesJunit {
    public void check() {
        Assertions.fail("never called");
    }
}
