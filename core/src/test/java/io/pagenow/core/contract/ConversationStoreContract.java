package io.pagenow.core.contract;

import io.pagenow.core.chat.port.ConversationStore;

/**
 * The behaviour every {@link ConversationStore} must have. {@link #store()} may return a store
 * shared with earlier tests: every test uses user ids of its own.
 */
public abstract class ConversationStoreContract {

    protected abstract ConversationStore store();
}
