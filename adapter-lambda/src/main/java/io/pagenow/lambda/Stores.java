package io.pagenow.lambda;

import io.pagenow.core.chat.port.out.ConversationStore;
import io.pagenow.core.delivery.port.out.ConnectionRegistry;
import io.pagenow.core.presence.port.out.PresenceStore;
import io.pagenow.core.social.port.out.SocialGraph;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * The store adapters the handlers run on, and what to close with them.
 *
 * @param resources closed in order when the container closes (pools, clients)
 */
record Stores(ConversationStore conversations, SocialGraph socialGraph, ConnectionRegistry registry,
              PresenceStore presence, List<AutoCloseable> resources) implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Stores.class);

    Stores {
        resources = List.copyOf(resources);
    }

    /** Closes every resource; one that fails to close is logged and the others are closed still. */
    @Override
    public void close() {
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            } catch (Exception e) {
                LOG.warn("Closing {} failed: {}", resource.getClass().getSimpleName(), e.toString());
            }
        }
    }
}
