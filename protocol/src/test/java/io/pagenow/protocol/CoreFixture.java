package io.pagenow.protocol;

import io.pagenow.core.chat.ChatCore;
import io.pagenow.core.chat.port.in.Chat;
import io.pagenow.core.delivery.Deliveries;
import io.pagenow.core.memory.InMemoryConnectionRegistry;
import io.pagenow.core.memory.InMemoryConversationStore;
import io.pagenow.core.memory.InMemoryPresenceStore;
import io.pagenow.core.memory.InMemorySocialGraph;
import io.pagenow.core.presence.PresenceCore;
import io.pagenow.core.presence.port.in.Presence;
import io.pagenow.core.testing.MutableClock;
import io.pagenow.core.testing.RecordingClientPush;

/** The real core on its in-memory adapters and the demo graph (alice, bob, carol friends; dave alone). */
final class CoreFixture {

    final MutableClock clock = MutableClock.startingAt("2026-11-23T10:15:30.123Z");
    final RecordingClientPush push = new RecordingClientPush();
    final InMemoryConversationStore conversations = new InMemoryConversationStore();
    final InMemoryPresenceStore presenceStore = new InMemoryPresenceStore();
    final InMemoryConnectionRegistry registry = new InMemoryConnectionRegistry();
    final Deliveries deliveries = new Deliveries(registry, push);
    final Chat chat = ChatCore.create(conversations, deliveries, clock);
    final Presence presence = PresenceCore.create(presenceStore, InMemorySocialGraph.demo(),
            new GuavaRegistrableDomains(), deliveries, clock, PresenceCore.DEFAULT_TIMEOUT);
}
