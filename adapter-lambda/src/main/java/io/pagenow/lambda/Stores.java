package io.pagenow.lambda;

import io.pagenow.core.chat.port.out.ConversationStore;
import io.pagenow.core.delivery.port.out.ConnectionRegistry;
import io.pagenow.core.presence.port.out.PresenceStore;
import io.pagenow.core.social.port.out.SocialGraph;

import java.util.List;

/**
 * The store adapters the handlers run on, and what to close with them.
 *
 * @param resources closed in order when the container closes (pools, clients)
 */
record Stores(ConversationStore conversations, SocialGraph socialGraph, ConnectionRegistry registry,
              PresenceStore presence, List<AutoCloseable> resources) {

    Stores {
        resources = List.copyOf(resources);
    }
}
