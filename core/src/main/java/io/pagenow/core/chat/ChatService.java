package io.pagenow.core.chat;

import io.pagenow.core.chat.port.in.Chat;
import io.pagenow.core.chat.port.out.ConversationStore;
import io.pagenow.core.delivery.Channel;
import io.pagenow.core.delivery.Connection;
import io.pagenow.core.delivery.Deliveries;
import io.pagenow.core.delivery.Event;
import io.pagenow.core.error.ForbiddenException;
import io.pagenow.core.error.InvalidInputException;
import io.pagenow.core.error.NotFoundException;
import io.pagenow.core.error.PlainText;
import io.pagenow.core.social.port.out.SocialGraph;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

final class ChatService implements Chat {

    static final int MAX_TITLE_LENGTH = 300;
    static final int MAX_CONTENT_CODE_POINTS = 1000;
    static final int MAX_ID_LENGTH = 128;
    /** At most one typing notice per user and conversation is forwarded per this interval. */
    static final Duration TYPING_INTERVAL = Duration.ofSeconds(2);

    private final ConversationStore store;
    private final Deliveries deliveries;
    private final Clock clock;
    private final TypingThrottle typingThrottle = new TypingThrottle(TYPING_INTERVAL);
    private final int maxGroupParticipants;
    private final Optional<SocialGraph> directory;

    ChatService(ConversationStore store, Deliveries deliveries, Clock clock, int maxGroupParticipants,
                Optional<SocialGraph> directory) {
        if (maxGroupParticipants < 3) {
            throw new IllegalArgumentException("a group holds at least 3 participants, the limit was "
                    + maxGroupParticipants);
        }
        this.store = store;
        this.deliveries = deliveries;
        this.clock = clock;
        this.maxGroupParticipants = maxGroupParticipants;
        this.directory = directory;
    }

    @Override
    public Conversation createConversation(String callerId, CreateConversation request) {
        if (request.recipientIds() == null || request.recipientIds().isEmpty()) {
            throw InvalidInputException.missing("recipientIdArr");
        }
        if (request.group() == null) {
            throw InvalidInputException.missing("isGroup");
        }
        Set<String> others = new LinkedHashSet<>();
        for (String recipient : request.recipientIds()) {
            requireId("recipientIdArr", recipient);
            if (!recipient.equals(callerId)) {
                others.add(recipient);
            }
        }
        Instant now = now();
        if (!request.group()) {
            if (others.size() != 1) {
                throw new InvalidInputException(
                        "'recipientIdArr' must name exactly one other user for a direct conversation, named "
                                + others.size());
            }
            requireKnown(others);
            return store.findOrCreateDirect(callerId, others.iterator().next(), now);
        }
        if (others.size() < 2) {
            throw new InvalidInputException(
                    "'recipientIdArr' must name at least two other users for a group conversation, named "
                            + others.size());
        }
        if (others.size() + 1 > maxGroupParticipants) {
            throw new InvalidInputException("'recipientIdArr' may name at most " + (maxGroupParticipants - 1)
                    + " other users (a group holds at most " + maxGroupParticipants + " participants), named "
                    + others.size());
        }
        String title = PlainText.require("title", request.title());
        if (title == null || title.isBlank()) {
            throw InvalidInputException.missing("title");
        }
        if (title.length() > MAX_TITLE_LENGTH) {
            throw new InvalidInputException("'title' must be at most " + MAX_TITLE_LENGTH + " characters");
        }
        requireKnown(others);
        Set<String> participants = new LinkedHashSet<>();
        participants.add(callerId);
        participants.addAll(others);
        return store.createGroup(callerId, title, participants, now);
    }

    @Override
    public Conversation conversation(String callerId, UUID conversationId) {
        return participatedConversation(callerId, conversationId);
    }

    @Override
    public List<String> participants(String callerId, UUID conversationId) {
        return participatedConversation(callerId, conversationId).participantIds();
    }

    @Override
    public List<Message> messages(String callerId, UUID conversationId, MessageQuery query) {
        participatedConversation(callerId, conversationId);
        List<Message> newestFirst;
        if (query.after().isPresent()) {
            Message after = cursor("after", conversationId, query.after().get());
            List<Message> oldestFirst = store.after(conversationId, after.seq(), query.limit());
            if (query.order() == MessageQuery.Order.ASC) {
                return oldestFirst;
            }
            List<Message> newestFirstPage = new ArrayList<>(oldestFirst);
            Collections.reverse(newestFirstPage);
            return newestFirstPage;
        }
        if (query.before().isPresent()) {
            Message before = cursor("before", conversationId, query.before().get());
            newestFirst = store.before(conversationId, before.seq(), query.limit());
        } else {
            newestFirst = store.newest(conversationId, query.offset(), query.limit());
        }
        if (query.order() == MessageQuery.Order.ASC) {
            List<Message> oldestFirst = new ArrayList<>(newestFirst);
            Collections.reverse(oldestFirst);
            return oldestFirst;
        }
        return newestFirst;
    }

    /** The message a page cursor names; one of another conversation is as unknown as a missing one. */
    private Message cursor(String field, UUID conversationId, UUID messageId) {
        return store.findMessage(messageId)
                .filter(m -> m.conversationId().equals(conversationId))
                .orElseThrow(() -> new InvalidInputException(
                        "'" + field + "' names no message of this conversation: " + messageId));
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
        Conversation conversation = participatedConversation(callerId, request.conversationId());
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
        Conversation conversation = participatedConversation(callerId, conversationId);
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
        Conversation conversation = participatedConversation(callerId, conversationId);
        if (!typingThrottle.admit(callerId, conversationId, clock.instant())) {
            return;
        }
        List<String> others = conversation.participantIds().stream().filter(p -> !p.equals(callerId)).toList();
        deliveries.toUsers(others, new Event.Typing(conversationId, callerId));
    }

    @Override
    public Message edit(String callerId, UUID messageId, String sent) {
        String content = requireContent(sent);
        Message message = ownMessage(callerId, messageId);
        Conversation conversation = participatedConversation(callerId, message.conversationId());
        Message edited = store.edit(message.id(), content, now())
                .orElseThrow(() -> gone(messageId));
        deliveries.toUsers(conversation.participantIds(), new Event.MessageEdited(edited.id(),
                edited.conversationId(), edited.content(), edited.editedAt()));
        return edited;
    }

    @Override
    public Message delete(String callerId, UUID messageId) {
        Message message = ownMessage(callerId, messageId);
        Conversation conversation = participatedConversation(callerId, message.conversationId());
        Message tombstone = store.delete(message.id(), now())
                .orElseThrow(() -> gone(messageId));
        deliveries.toUsers(conversation.participantIds(), new Event.MessageDeleted(tombstone.id(),
                tombstone.conversationId(), tombstone.deletedAt()));
        return tombstone;
    }

    /** A message the caller sent (so also one of a conversation the caller is in) that is not deleted. */
    private Message ownMessage(String callerId, UUID messageId) {
        if (messageId == null) {
            throw InvalidInputException.missing("messageId");
        }
        Message message = store.findMessage(messageId).orElseThrow(() -> gone(messageId));
        if (!message.senderId().equals(callerId)) {
            // Also for messages of conversations the caller is not in: 403 either way, nothing told.
            throw new ForbiddenException("Not your message: " + messageId);
        }
        if (message.deleted()) {
            throw gone(messageId);
        }
        return message;
    }

    private static NotFoundException gone(UUID messageId) {
        return new NotFoundException("Message not found: " + messageId);
    }

    /** The content of a send or an edit, checked by the same rules. */
    private static String requireContent(String sent) {
        String content = PlainText.require("content", sent);
        if (content == null) {
            throw InvalidInputException.missing("content");
        }
        int length = content.codePointCount(0, content.length());
        if (length < 1 || length > MAX_CONTENT_CODE_POINTS) {
            throw new InvalidInputException(
                    "'content' must be 1 to " + MAX_CONTENT_CODE_POINTS + " characters, was " + length);
        }
        return content;
    }

    private Conversation participatedConversation(String callerId, UUID conversationId) {
        if (conversationId == null) {
            throw InvalidInputException.missing("conversationId");
        }
        Conversation conversation = store.find(conversationId)
                .orElseThrow(() -> new NotFoundException("Conversation not found: " + conversationId));
        if (!conversation.hasParticipant(callerId)) {
            throw new ForbiddenException("Not a participant of conversation " + conversationId);
        }
        return conversation;
    }

    /**
     * With a user directory, a conversation holds only users it knows: made-up ids would each be a
     * participant row and a push target on every send. The answer names the unknown ids (a few).
     */
    private void requireKnown(Set<String> userIds) {
        if (directory.isEmpty()) {
            return;
        }
        Set<String> known = directory.get().usersById(userIds).keySet();
        List<String> unknown = userIds.stream().filter(id -> !known.contains(id)).toList();
        if (!unknown.isEmpty()) {
            String named = String.join(", ", unknown.subList(0, Math.min(10, unknown.size())))
                    + (unknown.size() > 10 ? " and " + (unknown.size() - 10) + " more" : "");
            throw new NotFoundException("Unknown users in 'recipientIdArr': " + named);
        }
    }

    /** Stores keep milliseconds, as the wire does, so what is returned equals what is read back. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private static void requireId(String field, String id) {
        if (id == null) {
            throw InvalidInputException.missing(field);
        }
        if (id.isEmpty() || id.length() > MAX_ID_LENGTH) {
            throw new InvalidInputException("'" + field + "' must be 1 to " + MAX_ID_LENGTH + " characters");
        }
        PlainText.require(field, id);
    }
}
