package io.pagenow.core.memory;

import io.pagenow.core.chat.port.out.ConversationStore;
import io.pagenow.core.contract.ConversationStoreContract;

class InMemoryConversationStoreTest extends ConversationStoreContract {

    /** Shared by every test on purpose: the contract must hold in a store that already has rows. */
    private static final InMemoryConversationStore STORE = new InMemoryConversationStore();

    @Override
    protected ConversationStore store() {
        return STORE;
    }
}
