package io.pagenow.postgres;

import io.pagenow.core.chat.port.out.ConversationStore;
import io.pagenow.core.contract.ConversationStoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The core's conversation store contract on PostgreSQL: one schema for the class, user ids unique per test. */
class PostgresConversationStoreTest extends ConversationStoreContract {

    private static TestStores db;

    @BeforeAll
    static void openStores() {
        db = TestStores.open("conversation_contract");
    }

    @AfterAll
    static void closeStores() {
        db.close();
    }

    @Override
    protected ConversationStore store() {
        return db.stores.conversations();
    }
}
