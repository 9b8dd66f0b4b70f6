package io.pagenow.core.memory;

import io.pagenow.core.chat.Appended;
import io.pagenow.core.chat.Conversation;
import io.pagenow.core.chat.ConversationActivity;
import io.pagenow.core.chat.Message;
import io.pagenow.core.chat.port.out.ConversationStore;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * Conversations of a single process. Each conversation's messages and watermarks change under
 * that conversation's lock, so concurrent senders get consecutive sequence numbers. A change to
 * what a user's list shows moves the user's list version after the change is made (never
 * before), so a list read after a version is never older than it.
 */
public final class InMemoryConversationStore implements ConversationStore {

    private final Map<UUID, ConversationLog> logs = new ConcurrentHashMap<>();
    private final Map<String, UUID> directPairs = new ConcurrentHashMap<>();
    private final Map<String, Set<UUID>> conversationsByUser = new ConcurrentHashMap<>();
    private final Map<UUID, Message> messagesById = new ConcurrentHashMap<>();
    private final Map<IdempotencyKey, Message> messagesByTempId = new ConcurrentHashMap<>();
    private final Map<String, Long> listVersions = new ConcurrentHashMap<>();

    @Override
    public Conversation createGroup(String createdBy, String title, Set<String> participantIds, Instant createdAt) {
        return add(new Conversation(UUID.randomUUID(), title, true, createdBy, createdAt,
                List.copyOf(participantIds)));
    }

    @Override
    public Conversation findOrCreateDirect(String createdBy, String otherUserId, Instant createdAt) {
        UUID id = directPairs.computeIfAbsent(pairKey(createdBy, otherUserId),
                key -> add(new Conversation(UUID.randomUUID(), "", false, createdBy, createdAt,
                        List.of(createdBy, otherUserId))).id());
        return logs.get(id).conversation;
    }

    @Override
    public Optional<Conversation> find(UUID conversationId) {
        ConversationLog log = logs.get(conversationId);
        return log == null ? Optional.empty() : Optional.of(log.conversation);
    }

    @Override
    public Optional<UUID> findDirect(String userA, String userB) {
        return Optional.ofNullable(directPairs.get(pairKey(userA, userB)));
    }

    @Override
    public Optional<Message> findMessage(UUID messageId) {
        return Optional.ofNullable(messagesById.get(messageId));
    }

    @Override
    public Appended append(UUID conversationId, String senderId, String tempMessageId, String content,
                           Instant sentAt) {
        ConversationLog log = existing(conversationId);
        IdempotencyKey key = new IdempotencyKey(senderId, conversationId, tempMessageId);
        synchronized (log) {
            Message stored = messagesByTempId.get(key);
            if (stored != null) {
                return new Appended(stored, false);
            }
            Message message = new Message(UUID.randomUUID(), conversationId, log.messages.size() + 1L, senderId,
                    content, sentAt, tempMessageId, null, null);
            stored = messagesByTempId.putIfAbsent(key, message);
            if (stored != null) {
                return new Appended(stored, false);
            }
            messagesById.put(message.id(), message);
            log.messages.add(message);
            log.watermarks.put(senderId, message.seq());
            changedListsOf(log.conversation.participantIds());
            return new Appended(message, true);
        }
    }

    @Override
    public List<Message> newest(UUID conversationId, int offset, int limit) {
        ConversationLog log = existing(conversationId);
        synchronized (log) {
            return newestFirst(log.messages, log.messages.size() - offset, limit);
        }
    }

    @Override
    public List<Message> before(UUID conversationId, long seq, int limit) {
        ConversationLog log = existing(conversationId);
        synchronized (log) {
            // seq n sits at index n - 1, so the messages below seq end at index seq - 2.
            return newestFirst(log.messages, (int) Math.min(seq - 1, log.messages.size()), limit);
        }
    }

    @Override
    public List<Message> after(UUID conversationId, long seq, int limit) {
        ConversationLog log = existing(conversationId);
        synchronized (log) {
            // seq n sits at index n - 1, so the messages above seq start at index seq.
            int from = (int) Math.min(Math.max(seq, 0), log.messages.size());
            return List.copyOf(log.messages.subList(from, Math.min(from + limit, log.messages.size())));
        }
    }

    @Override
    public Optional<Message> edit(UUID messageId, String content, Instant editedAt) {
        return change(messageId, m -> m.edited(content, editedAt));
    }

    @Override
    public Optional<Message> delete(UUID messageId, Instant deletedAt) {
        return change(messageId, m -> m.deletedAt(deletedAt));
    }

    /** Replaces a message that is not deleted, everywhere it is held, under its conversation's lock. */
    private Optional<Message> change(UUID messageId, UnaryOperator<Message> change) {
        Message found = messagesById.get(messageId);
        if (found == null) {
            return Optional.empty();
        }
        ConversationLog log = existing(found.conversationId());
        synchronized (log) {
            Message current = log.messages.get((int) found.seq() - 1);
            if (current.deleted()) {
                return Optional.empty();
            }
            Message changed = change.apply(current);
            log.messages.set((int) changed.seq() - 1, changed);
            messagesById.put(changed.id(), changed);
            if (changed.tempMessageId() != null) {
                messagesByTempId.replace(new IdempotencyKey(changed.senderId(), changed.conversationId(),
                        changed.tempMessageId()), changed);
            }
            if (changed.seq() == log.messages.size()) {
                changedListsOf(log.conversation.participantIds());
            }
            return Optional.of(changed);
        }
    }

    @Override
    public long markRead(UUID conversationId, String userId) {
        ConversationLog log = existing(conversationId);
        synchronized (log) {
            long latest = log.messages.size();
            long before = log.watermarks.getOrDefault(userId, 0L);
            long after = log.watermarks.merge(userId, latest, Math::max);
            if (after != before) {
                changedListsOf(List.of(userId));
            }
            return after;
        }
    }

    @Override
    public long listVersion(String userId) {
        return listVersions.getOrDefault(userId, 0L);
    }

    private void changedListsOf(List<String> userIds) {
        for (String userId : userIds) {
            listVersions.merge(userId, 1L, Long::sum);
        }
    }

    @Override
    public List<ConversationActivity> activityOf(String userId) {
        List<ConversationActivity> activity = new ArrayList<>();
        for (UUID id : conversationsByUser.getOrDefault(userId, Set.of())) {
            ConversationLog log = logs.get(id);
            synchronized (log) {
                if (!log.messages.isEmpty()) {
                    Message latest = log.messages.get(log.messages.size() - 1);
                    activity.add(new ConversationActivity(log.conversation, latest,
                            log.watermarks.getOrDefault(userId, 0L)));
                }
            }
        }
        activity.sort(Comparator.comparing((ConversationActivity a) -> a.latest().sentAt())
                .thenComparing(a -> a.latest().id())
                .reversed());
        return activity;
    }

    /** Messages with index below {@code end}, newest first, at most {@code limit}. */
    private static List<Message> newestFirst(List<Message> messages, int end, int limit) {
        List<Message> window = new ArrayList<>(Math.min(limit, Math.max(end, 0)));
        for (int i = end - 1; i >= 0 && window.size() < limit; i--) {
            window.add(messages.get(i));
        }
        return window;
    }

    private Conversation add(Conversation conversation) {
        logs.put(conversation.id(), new ConversationLog(conversation));
        for (String participant : conversation.participantIds()) {
            conversationsByUser.computeIfAbsent(participant, u -> ConcurrentHashMap.newKeySet()).add(conversation.id());
        }
        changedListsOf(conversation.participantIds());
        return conversation;
    }

    private ConversationLog existing(UUID conversationId) {
        ConversationLog log = logs.get(conversationId);
        if (log == null) {
            throw new IllegalArgumentException("no conversation " + conversationId);
        }
        return log;
    }

    private static String pairKey(String userA, String userB) {
        return userA.compareTo(userB) <= 0 ? userA + '\u0000' + userB : userB + '\u0000' + userA;
    }

    private record IdempotencyKey(String senderId, UUID conversationId, String tempMessageId) {
    }

    /** A conversation with its messages (index = seq - 1) and read watermarks; guarded by itself. */
    private static final class ConversationLog {
        final Conversation conversation;
        final List<Message> messages = new ArrayList<>();
        final Map<String, Long> watermarks = new ConcurrentHashMap<>();

        ConversationLog(Conversation conversation) {
            this.conversation = conversation;
        }
    }
}
