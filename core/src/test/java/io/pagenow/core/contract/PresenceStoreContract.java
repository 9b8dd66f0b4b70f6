package io.pagenow.core.contract;

import io.pagenow.core.presence.port.PresenceStore;

/** The behaviour every {@link PresenceStore} must have. {@link #store()} returns an empty one. */
public abstract class PresenceStoreContract {

    protected abstract PresenceStore store();
}
