package io.pagenow.core.memory;

import io.pagenow.core.contract.PresenceStoreContract;
import io.pagenow.core.presence.port.out.PresenceStore;

class InMemoryPresenceStoreTest extends PresenceStoreContract {

    @Override
    protected PresenceStore store() {
        return new InMemoryPresenceStore();
    }
}
