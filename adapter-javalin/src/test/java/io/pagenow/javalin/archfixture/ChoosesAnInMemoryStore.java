package io.pagenow.javalin.archfixture;

import io.pagenow.core.memory.InMemorySocialGraph;

/** Breaks "only the composition root chooses stores" on purpose. */
public final class ChoosesAnInMemoryStore {
    public Object graph() {
        return InMemorySocialGraph.builder();
    }
}
