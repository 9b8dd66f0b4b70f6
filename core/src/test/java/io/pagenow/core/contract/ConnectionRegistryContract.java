package io.pagenow.core.contract;

import io.pagenow.core.delivery.ConnectionRegistry;

/** The behaviour every {@link ConnectionRegistry} must have. {@link #registry()} returns an empty one. */
public abstract class ConnectionRegistryContract {

    protected abstract ConnectionRegistry registry();
}
