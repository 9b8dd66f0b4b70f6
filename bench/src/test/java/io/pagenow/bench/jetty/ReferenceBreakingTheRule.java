package io.pagenow.bench.jetty;

import io.pagenow.core.chat.port.in.Chat;

/** Breaks {@code theJettyReferenceRunsNothingOfOurs}: a reference server reaching into the core. */
final class ReferenceBreakingTheRule {

    Chat reachesTheCore() {
        return null;
    }
}
