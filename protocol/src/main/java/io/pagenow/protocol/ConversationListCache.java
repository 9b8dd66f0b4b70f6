package io.pagenow.protocol;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.pagenow.core.chat.ConversationSummary;
import io.pagenow.core.chat.port.in.Chat;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Each user's {@code GET /conversations} answers, encoded once per change to the list: a request
 * reads the list's version from the store (one primary-key read), and while it is the version the
 * kept answer was read at, the answer and its entity tag are served as they are, with no list
 * query and no encoding. Any change to the list (a message appended, edited or deleted, the user's
 * read watermark moving, a conversation created), made through any node or Lambda container,
 * changes the version in the store, so the next request on every node reads the list again:
 * read-your-writes holds across nodes without any message between them.
 *
 * <p>The version is read before the list, so a kept list is never older than its version; a
 * change between the two reads only makes the next request read the list once more.
 */
final class ConversationListCache {

    /** Conversation rows kept at most, over every user's list; the least recently used lists go first. */
    static final long MAXIMUM_ROWS = 100_000;

    private final Chat chat;
    private final Cache<String, Kept> lists = Caffeine.newBuilder()
            .maximumWeight(MAXIMUM_ROWS)
            .weigher((String userId, Kept kept) -> kept.rows.size() + 1)
            // Evictions on the calling thread: nothing here is worth a pool thread.
            .executor(Runnable::run)
            .build();

    ConversationListCache(Chat chat) {
        this.chat = chat;
    }

    /** The caller's list, all of it or the rows whose read state is {@code read}, with its entity tag. */
    Answer answer(String callerId, Optional<Boolean> read) {
        long version = chat.conversationsVersion(callerId);
        Kept kept = lists.getIfPresent(callerId);
        if (kept == null || kept.version != version) {
            kept = new Kept(callerId, version, chat.conversations(callerId, Optional.empty()));
            lists.put(callerId, kept);
        }
        return kept.answer(read);
    }

    /** One user's list as read at one version, and its answers, each encoded when first asked for. */
    private static final class Kept {
        final String callerId;
        final long version;
        final List<ConversationSummary> rows;
        /** Every row, the read ones, the unread ones. */
        private final AtomicReferenceArray<Answer> answers = new AtomicReferenceArray<>(3);

        Kept(String callerId, long version, List<ConversationSummary> rows) {
            this.callerId = callerId;
            this.version = version;
            this.rows = rows;
        }

        Answer answer(Optional<Boolean> read) {
            int slot = read.map(r -> r ? 1 : 2).orElse(0);
            Answer known = answers.get(slot);
            if (known == null) {
                // Two requests racing here encode the same rows to the same answer: either may stay.
                known = Answer.tagged(WireFormat.summaries(callerId,
                        rows.stream().filter(row -> row.matches(read)).toList()));
                answers.set(slot, known);
            }
            return known;
        }
    }
}
