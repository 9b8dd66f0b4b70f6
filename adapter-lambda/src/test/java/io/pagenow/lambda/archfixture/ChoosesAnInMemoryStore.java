package io.pagenow.lambda.archfixture;

import io.pagenow.core.memory.InMemorySocialGraph;

/** Breaks "handlers use only the protocol and AWS" on purpose: a handler picking a store. */
public final class ChoosesAnInMemoryStore {
    public Object graph() {
        return InMemorySocialGraph.builder();
    }
}
