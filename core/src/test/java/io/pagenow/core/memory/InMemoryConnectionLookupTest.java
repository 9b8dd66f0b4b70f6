package io.pagenow.core.memory;

import io.pagenow.core.contract.ConnectionLookupContract;
import io.pagenow.core.delivery.ConnectionRegistry;

class InMemoryConnectionLookupTest extends ConnectionLookupContract {

    @Override
    protected ConnectionRegistry registry() {
        return new InMemoryConnectionRegistry();
    }
}
