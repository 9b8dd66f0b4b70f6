package io.pagenow.protocol;

import io.pagenow.core.chat.ChatCore;
import io.pagenow.core.chat.port.in.Chat;
import io.pagenow.core.chat.port.out.ConversationStore;
import io.pagenow.core.delivery.Deliveries;
import io.pagenow.core.delivery.port.out.ClientPush;
import io.pagenow.core.delivery.port.out.ConnectionRegistry;
import io.pagenow.core.presence.PresenceCore;
import io.pagenow.core.presence.port.in.Presence;
import io.pagenow.core.presence.port.out.PresenceStore;
import io.pagenow.core.social.port.out.SocialGraph;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * The use cases and the protocol on top of them, built one way for every transport: the Javalin
 * server and the Lambda handlers each hand in their stores and their push and get the same
 * {@link RestApi} and {@link SocketApi}, so a limit or a check added here reaches both. It lives in
 * {@code protocol} because that is the lowest module that sees both the core and the protocol
 * classes it builds, and both transports already depend on it; it names no store technology.
 *
 * @param chat     the chat use cases, with the group size and (with a directory) the participant check
 * @param presence the presence use cases
 * @param callers  token verification, then (with a directory) the check that the directory knows the caller
 * @param rest     every REST route, behind the per-user REST rate
 * @param sockets  every WebSocket action
 */
public record Assembly(Chat chat, Presence presence, Authenticator callers, RestApi rest, SocketApi sockets) {

    /**
     * The stores the use cases run on.
     *
     * @param userDirectory whether {@code socialGraph} holds the user service's users (PostgreSQL), so
     *                      callers and participants are checked against it unless {@link Limits#allowUnknownUsers()}
     */
    public record Stores(ConversationStore conversations, SocialGraph socialGraph, PresenceStore presence,
                         ConnectionRegistry connections, boolean userDirectory) {
    }

    /**
     * @param push            how an event reaches a connection on this transport
     * @param tokens          token verification alone
     * @param presenceTimeout how long a presence lasts without a heartbeat
     */
    public static Assembly of(Stores stores, ClientPush push, Clock clock, Limits limits, Duration presenceTimeout,
                              Authenticator tokens) {
        Deliveries deliveries = new Deliveries(stores.connections(), push);
        Optional<SocialGraph> directory = stores.userDirectory() && !limits.allowUnknownUsers()
                ? Optional.of(stores.socialGraph()) : Optional.empty();
        Chat chat = ChatCore.create(stores.conversations(), deliveries, clock, limits.maxGroupParticipants(),
                directory);
        Authenticator callers = directory.<Authenticator>map(users -> new KnownUsers(tokens, users, clock))
                .orElse(tokens);
        Presence presence = PresenceCore.create(stores.presence(), stores.socialGraph(), new GuavaRegistrableDomains(),
                deliveries, clock, presenceTimeout);
        RestApi rest = new RestApi(chat, presence, new RestRateLimit(callers, new UserBuckets(limits.restRate(), clock)));
        return new Assembly(chat, presence, callers, rest, new SocketApi(chat, presence));
    }
}
