package io.pagenow.core.chat;

import io.pagenow.core.chat.port.out.ConversationStore;
import io.pagenow.core.error.InvalidInputException;
import io.pagenow.core.error.NotFoundException;
import io.pagenow.core.error.PlainText;
import io.pagenow.core.social.port.out.SocialGraph;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a new conversation may be, and its creation: a direct one with exactly one other user
 * (found again when it exists), a group of a bounded size with a title, each participant one the
 * user directory knows when there is one.
 */
final class NewConversations {

    static final int MAX_TITLE_LENGTH = 300;

    private final ConversationStore store;
    private final int maxGroupParticipants;
    private final Optional<SocialGraph> directory;

    NewConversations(ConversationStore store, int maxGroupParticipants, Optional<SocialGraph> directory) {
        if (maxGroupParticipants < 3) {
            throw new IllegalArgumentException("a group holds at least 3 participants, the limit was "
                    + maxGroupParticipants);
        }
        this.store = store;
        this.maxGroupParticipants = maxGroupParticipants;
        this.directory = directory;
    }

    Conversation create(String callerId, CreateConversation request, Instant now) {
        if (request.recipientIds() == null || request.recipientIds().isEmpty()) {
            throw InvalidInputException.missing("recipientIdArr");
        }
        if (request.group() == null) {
            throw InvalidInputException.missing("isGroup");
        }
        Set<String> others = new LinkedHashSet<>();
        for (String recipient : request.recipientIds()) {
            ChatInput.requireId("recipientIdArr", recipient);
            if (!recipient.equals(callerId)) {
                others.add(recipient);
            }
        }
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
}
