package io.pagenow.core.chat;

import io.pagenow.core.chat.port.in.Chat;
import io.pagenow.core.chat.port.out.ConversationStore;
import io.pagenow.core.delivery.Channel;
import io.pagenow.core.delivery.Connection;
import io.pagenow.core.delivery.Deliveries;
import io.pagenow.core.delivery.Event;
import io.pagenow.core.error.InvalidInputException;
import io.pagenow.core.social.port.out.SocialGraph;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static io.pagenow.core.chat.ChatInput.requireContent;
import static io.pagenow.core.chat.ChatInput.requireId;

/**
 * The chat use cases: each checks the caller's access ({@link ConversationAccess}) and input
 * ({@link ChatInput}), changes or reads the store, and tells the participants what changed.
 */
final class ChatService implements Chat {

    /** At most one typing notice per user and conversation is forwarded per this interval. */
    static final Duration TYPING_INTERVAL = Duration.ofSeconds(2);

    private final ConversationStore store;
    private final Deliveries deliveries;
    private final Clock clock;
    private final ConversationAccess access;
    private final NewConversations newConversations;
    private final MessagePages pages;
    private final TypingThrottle typingThrottle = new TypingThrottle(TYPING_INTERVAL);

    ChatService(ConversationStore store, Deliveries deliveries, Clock clock, int maxGroupParticipants,
                Optional<SocialGraph> directory) {
        this.store = store;
        this.deliveries = deliveries;
        this.clock = clock;
        this.access = new ConversationAccess(store);
        this.newConversations = new NewConversations(store, maxGroupParticipants, directory);
        this.pages = new MessagePages(store);
    }

    @Override
    public Conversation createConversation(String callerId, CreateConversation request) {
        return newConversations.create(callerId, request, now());
    }

    @Override
    public Conversation conversation(String callerId, UUID conversationId) {
        return access.participated(callerId, conversationId);
    }

    @Override
    public List<String> participants(String callerId, UUID conversationId) {
        return access.participated(callerId, conversationId).participantIds();
    }

    @Override
    public List<Message> messages(String callerId, UUID conversationId, MessageQuery query) {
        access.participated(callerId, conversationId);
        return pages.page(conversationId, query);
    }

    @Override
    public Optional<UUID> directConversation(String callerId, String otherUserId) {
        requireId("userId", otherUserId);
        return store.findDirect(callerId, otherUserId);
    }

    @Override
    public List<ConversationSummary> conversations(String callerId, Optional<Boolean> read) {
        return store.activityOf(callerId).stream()
                .map(ConversationSummary::of)
                .filter(summary -> summary.matches(read))
                .toList();
    }

    @Override
    public long conversationsVersion(String callerId) {
        return store.listVersion(callerId);
    }

    @Override
    public Message send(String callerId, SendMessage request) {
        requireId("tempMessageId", request.tempMessageId());
        if (request.conversationId() == null) {
            throw InvalidInputException.missing("conversationId");
        }
        String content = requireContent(request.content());
        Conversation conversation = access.participated(callerId, request.conversationId());
        Appended appended = store.append(conversation.id(), callerId, request.tempMessageId(), content, now());
        Message message = appended.message();
        Event event = new Event.NewMessage(message.id(), message.tempMessageId(), message.conversationId(),
                message.senderId(), message.content(), message.sentAt());
        // A retry has already been delivered to everyone once; only the sender's tabs need the answer.
        deliveries.toUsers(appended.created() ? conversation.participantIds() : List.of(callerId), event);
        return message;
    }

    @Override
    public void read(String callerId, UUID conversationId) {
        Conversation conversation = access.participated(callerId, conversationId);
        store.markRead(conversationId, callerId);
        deliveries.toUsers(conversation.participantIds(), new Event.MessagesRead(conversationId, callerId));
    }

    @Override
    public void connect(Connection connection) {
        if (connection.channel() != Channel.CHAT) {
            throw new IllegalArgumentException("not a chat connection: " + connection.channel());
        }
        deliveries.registry().register(connection);
    }

    @Override
    public void disconnect(String connectionId) {
        deliveries.registry().unregister(connectionId);
    }

    @Override
    public void typing(String callerId, UUID conversationId) {
        Conversation conversation = access.participated(callerId, conversationId);
        if (!typingThrottle.admit(callerId, conversationId, clock.instant())) {
            return;
        }
        List<String> others = conversation.participantIds().stream().filter(p -> !p.equals(callerId)).toList();
        deliveries.toUsers(others, new Event.Typing(conversationId, callerId));
    }

    @Override
    public Message edit(String callerId, UUID messageId, String sent) {
        String content = requireContent(sent);
        Message message = access.ownMessage(callerId, messageId);
        Conversation conversation = access.participated(callerId, message.conversationId());
        Message edited = store.edit(message.id(), content, now())
                .orElseThrow(() -> ConversationAccess.gone(messageId));
        deliveries.toUsers(conversation.participantIds(), new Event.MessageEdited(edited.id(),
                edited.conversationId(), edited.content(), edited.editedAt()));
        return edited;
    }

    @Override
    public Message delete(String callerId, UUID messageId) {
        Message message = access.ownMessage(callerId, messageId);
        Conversation conversation = access.participated(callerId, message.conversationId());
        Message tombstone = store.delete(message.id(), now())
                .orElseThrow(() -> ConversationAccess.gone(messageId));
        deliveries.toUsers(conversation.participantIds(), new Event.MessageDeleted(tombstone.id(),
                tombstone.conversationId(), tombstone.deletedAt()));
        return tombstone;
    }

    /** Stores keep milliseconds, as the wire does, so what is returned equals what is read back. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
