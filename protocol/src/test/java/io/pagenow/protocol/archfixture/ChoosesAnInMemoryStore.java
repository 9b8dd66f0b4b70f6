package io.pagenow.protocol.archfixture;

import io.pagenow.core.memory.InMemoryConversationStore;

/** Breaks the rule that only composition roots choose implementations. */
public final class ChoosesAnInMemoryStore {
    public Object store() {
        return new InMemoryConversationStore();
    }
}
