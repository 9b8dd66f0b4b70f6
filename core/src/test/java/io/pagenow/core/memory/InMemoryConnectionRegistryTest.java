package io.pagenow.core.memory;

import io.pagenow.core.contract.ConnectionRegistryContract;
import io.pagenow.core.delivery.port.out.ConnectionRegistry;

class InMemoryConnectionRegistryTest extends ConnectionRegistryContract {

    @Override
    protected ConnectionRegistry registry() {
        return new InMemoryConnectionRegistry();
    }
}
