package io.pagenow.postgres;

import io.pagenow.core.chat.Appended;
import io.pagenow.core.chat.Message;
import io.pagenow.core.error.StoreUnavailableException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static io.pagenow.postgres.PostgresConversationStore.MESSAGE_COLUMNS;
import static io.pagenow.postgres.PostgresConversationStore.message;
import static io.pagenow.postgres.PostgresConversationStore.utc;

/**
 * Group commit of appends: the callers' appends wait in a queue, and one writer thread stores
 * every append waiting at that moment (up to {@link #MAX_BATCH}) in one transaction, then answers
 * each caller. Under load a commit (and its WAL flush) is shared by many messages and the senders
 * no longer queue for pooled connections; a lone append is written at once, with no delay to
 * gather others.
 *
 * <p>A batch is one JDBC batch of {@link #APPEND_BATCH_SQL} (the driver sends every statement,
 * then waits once) and one {@link #RESULTS_SQL} query reading what each stored. (One set-based
 * statement for the whole batch measured about three times slower: its cached generic plan
 * misjudges the unnest input.) A lone append is one statement ({@link #APPEND_SQL}).
 *
 * <p>One writer per process (a second one measured no faster on two cores), and each batch takes
 * its conversations' row locks in conversation id order as PostgreSQL sorts uuids (the same order
 * on every node), so batches of several nodes cannot deadlock. Within a conversation the batch
 * keeps arrival order. Every caller's wait is bounded: past it the caller gets
 * {@link StoreUnavailableException} and the append, if not yet started, is dropped (a retry with
 * the same tempMessageId is safe either way). A batch the database refuses for another reason
 * than an outage (say one over-long value) is stored again one append at a time, so only the
 * culprit fails; an outage fails the whole batch. The transaction's last statement increments the
 * list versions of the participants of the batch's conversations ({@link ListVersions}).
 */
final class AppendBatcher implements AutoCloseable {

    /** Appends stored by one transaction at most. */
    static final int MAX_BATCH = 128;

    private static final Logger LOG = LoggerFactory.getLogger(AppendBatcher.class);
    private static final String STORE = "PostgreSQL";

    /**
     * One append's work, the common part of {@link #APPEND_SQL} and {@link #APPEND_BATCH_SQL}: lock
     * the conversation row and read its counter (the lock serialises the senders of a conversation
     * until commit); insert the message as counter + 1 unless its (conversation, sender, tempMessageId) is stored
     * already (also by a concurrent transaction, which the insert waits for); only when it was
     * inserted, move the counter to it and copy it into the conversation's latest_* columns, and
     * move the sender's watermark. A retry so moves nothing and leaves no gap, without a rollback,
     * which lets it share a transaction with other appends; so does an unknown conversation, which
     * locks and inserts nothing.
     */
    private static final String APPEND_CTES = "WITH locked AS ("
            + " SELECT last_seq FROM conversation_table WHERE conversation_id = :conversationId FOR UPDATE),"
            + " stored AS ("
            + " INSERT INTO message_table (message_id, conversation_id, seq, sender_id, content, sent_at, temp_message_id)"
            + " SELECT :messageId, :conversationId, last_seq + 1, :senderId, :content, :sentAt, :tempMessageId FROM locked"
            + " ON CONFLICT (conversation_id, sender_id, temp_message_id) DO NOTHING RETURNING seq),"
            + " counted AS ("
            + " UPDATE conversation_table c SET last_seq = stored.seq, latest_message_id = :messageId,"
            + " latest_sender_id = :senderId, latest_content = :content, latest_sent_at = :sentAt,"
            + " latest_temp_message_id = :tempMessageId, latest_edited_at = NULL, latest_deleted_at = NULL"
            + " FROM stored WHERE c.conversation_id = :conversationId)";
    private static final String WATERMARK = "UPDATE participant_table p SET last_read_seq = greatest(p.last_read_seq,"
            + " stored.seq) FROM stored WHERE p.conversation_id = :conversationId AND p.user_id = :senderId";

    /** A lone append: one statement answering the counter it found (null: no such conversation) and the seq stored (null: a retry). */
    static final String APPEND_SQL = APPEND_CTES + ", watermark AS (" + WATERMARK + ")"
            + " SELECT (SELECT last_seq FROM locked) AS locked_seq, (SELECT seq FROM stored) AS stored_seq";

    /**
     * An append of a batch: returns no rows, so the driver sends the whole batch at once and waits
     * for the answers once ({@link #RESULTS_SQL} then reads what each append stored).
     */
    static final String APPEND_BATCH_SQL = APPEND_CTES + " " + WATERMARK;

    /**
     * What the appends of a batch stored, in their order: whether the conversation exists, and the
     * message stored for the append (its own row, or the one of an earlier send with its
     * (sender, tempMessageId)).
     */
    static final String RESULTS_SQL = "SELECT i.ord, EXISTS (SELECT 1 FROM conversation_table c"
            + " WHERE c.conversation_id = i.in_conversation) AS known, s.*"
            + " FROM unnest(CAST(:messageIds AS uuid[]), CAST(:conversationIds AS uuid[]),"
            + " CAST(:senderIds AS varchar[]), CAST(:tempMessageIds AS varchar[]))"
            + " WITH ORDINALITY AS i(in_message, in_conversation, in_sender, in_temp, ord)"
            + " LEFT JOIN LATERAL ((SELECT " + MESSAGE_COLUMNS + " FROM message_table m WHERE m.message_id = i.in_message)"
            + " UNION ALL (SELECT " + MESSAGE_COLUMNS + " FROM message_table m"
            + " WHERE m.conversation_id = i.in_conversation AND m.sender_id = i.in_sender"
            + " AND m.temp_message_id = i.in_temp) LIMIT 1) s ON true"
            + " ORDER BY i.ord";

    private final Jdbi jdbi;
    private final PostgresFailures failures;
    private final long waitNanos;
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private volatile boolean closed;

    /** @param wait how long a caller waits for its append at most (queue and transaction) */
    AppendBatcher(Jdbi jdbi, PostgresFailures failures, Duration wait) {
        this.failures = failures;
        this.jdbi = jdbi;
        this.waitNanos = wait.toNanos();
        this.writer = new Thread(this::run, "pagenow-postgres-append-writer");
        writer.setDaemon(true);
        writer.start();
    }

    /** Stores the message (see {@code ConversationStore.append}); waits for its batch, bounded. */
    Appended append(UUID conversationId, String senderId, String tempMessageId, String content, Instant sentAt) {
        Pending pending = new Pending(new Message(UUID.randomUUID(), conversationId, 0, senderId, content, sentAt,
                tempMessageId, null, null));
        if (closed) {
            throw new StoreUnavailableException(STORE, new IllegalStateException("the stores are closed"));
        }
        queue.add(pending);
        try {
            return pending.result.get(waitNanos, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            // Dropped unless the writer has started on it; a caller that retries finds it either way.
            pending.result.cancel(false);
            throw new StoreUnavailableException(STORE, e);
        } catch (InterruptedException e) {
            pending.result.cancel(false);
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException(STORE, e);
        } catch (CancellationException e) {
            throw new StoreUnavailableException(STORE, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new IllegalStateException("append failed", e.getCause());
        }
    }

    /** Appends waiting for the writer (not those it is storing): lets a test know a batch has gathered. */
    int waiting() {
        return queue.size();
    }

    private void run() {
        List<Pending> batch = new ArrayList<>(MAX_BATCH);
        while (!closed) {
            try {
                Pending first = queue.poll(1, TimeUnit.SECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                // Callers that gave up are not written for.
                batch.removeIf(p -> p.result.isDone());
                // Lock order: by conversation, as PostgreSQL orders uuids (the sort is stable, so
                // arrival order within one conversation).
                batch.sort(Comparator.comparing(p -> p.message.conversationId(), AppendBatcher::uuidOrder));
                write(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException | Error e) {
                // Never let the writer die: its callers would wait out their bound.
                LOG.error("append batch failed unexpectedly", e);
                batch.forEach(p -> p.result.completeExceptionally(e));
            } finally {
                batch.clear();
            }
        }
        failWaiting();
    }

    private void write(List<Pending> batch) {
        if (batch.isEmpty()) {
            return;
        }
        List<Outcome> outcomes;
        try {
            outcomes = failures.guard(() -> jdbi.inTransaction(h -> {
                List<Outcome> stored = batch.size() == 1
                        ? List.of(appendOne(h, batch.get(0).message))
                        : appendMany(h, batch);
                incrementListVersions(h, batch);
                return stored;
            }));
        } catch (StoreUnavailableException e) {
            batch.forEach(p -> p.result.completeExceptionally(e));
            return;
        } catch (RuntimeException e) {
            if (batch.size() == 1) {
                batch.get(0).result.completeExceptionally(e);
                return;
            }
            // Something in the batch the database refused (not an outage): each alone, so only it fails.
            for (Pending p : batch) {
                write(List.of(p));
            }
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            Outcome outcome = outcomes.get(i);
            if (outcome.appended() != null) {
                batch.get(i).result.complete(outcome.appended());
            } else {
                batch.get(i).result.completeExceptionally(outcome.failure());
            }
        }
    }

    /**
     * The batch's last statement, kept apart from the append SQL: every participant of the batch's
     * conversations has a changed conversation list (see {@link ListVersions}, also for why it is
     * last). A retry or an unknown conversation increments needlessly or not at all: a cached list
     * read again, nothing wrong.
     */
    private static void incrementListVersions(Handle h, List<Pending> batch) {
        ListVersions.incrementParticipants(h, batch.stream().map(p -> p.message.conversationId()).distinct()
                .toArray(UUID[]::new));
    }

    private static Outcome appendOne(Handle h, Message candidate) {
        AppendResult result = bind(h.createQuery(APPEND_SQL), candidate)
                .map((rs, ctx) -> new AppendResult(rs.getObject("locked_seq", Long.class),
                        rs.getObject("stored_seq", Long.class)))
                .one();
        if (result.lockedSeq() == null) {
            return Outcome.failed(unknown(candidate));
        }
        if (result.storedSeq() != null) {
            return Outcome.of(new Appended(withSeq(candidate, result.storedSeq()), true));
        }
        // The (sender, tempMessageId) is taken: a retry, also one that raced the first send.
        return Outcome.of(new Appended(h.createQuery("SELECT " + MESSAGE_COLUMNS + " FROM message_table m"
                        + " WHERE m.conversation_id = :conversationId AND m.sender_id = :senderId"
                        + " AND m.temp_message_id = :tempMessageId")
                .bind("conversationId", candidate.conversationId())
                .bind("senderId", candidate.senderId())
                .bind("tempMessageId", candidate.tempMessageId())
                .map((rs, ctx) -> message(rs))
                .findOne()
                .orElseThrow(() -> new IllegalStateException("a conflicting send is not visible")), false));
    }

    private static List<Outcome> appendMany(Handle h, List<Pending> batch) {
        PreparedBatch statements = h.prepareBatch(APPEND_BATCH_SQL);
        for (Pending p : batch) {
            bind(statements, p.message).add();
        }
        statements.execute();
        int n = batch.size();
        UUID[] messageIds = new UUID[n];
        UUID[] conversationIds = new UUID[n];
        String[] senderIds = new String[n];
        String[] tempMessageIds = new String[n];
        for (int i = 0; i < n; i++) {
            Message m = batch.get(i).message;
            messageIds[i] = m.id();
            conversationIds[i] = m.conversationId();
            senderIds[i] = m.senderId();
            tempMessageIds[i] = m.tempMessageId();
        }
        List<Outcome> outcomes = h.createQuery(RESULTS_SQL)
                .bind("messageIds", messageIds)
                .bind("conversationIds", conversationIds)
                .bind("senderIds", senderIds)
                .bind("tempMessageIds", tempMessageIds)
                .map((rs, ctx) -> {
                    Message candidate = batch.get(rs.getInt("ord") - 1).message;
                    if (!rs.getBoolean("known")) {
                        return Outcome.failed(unknown(candidate));
                    }
                    if (rs.getObject("message_id") == null) {
                        return Outcome.failed(new IllegalStateException("a conflicting send is not visible"));
                    }
                    Message stored = message(rs);
                    return Outcome.of(new Appended(stored, stored.id().equals(candidate.id())));
                })
                .list();
        if (outcomes.size() != n) {
            throw new IllegalStateException("expected " + n + " append results, got " + outcomes.size());
        }
        return outcomes;
    }

    private static <S extends org.jdbi.v3.core.statement.SqlStatement<S>> S bind(S statement, Message m) {
        return statement.bind("conversationId", m.conversationId())
                .bind("messageId", m.id())
                .bind("senderId", m.senderId())
                .bind("content", m.content())
                .bind("sentAt", utc(m.sentAt()))
                .bind("tempMessageId", m.tempMessageId());
    }

    /** PostgreSQL's order of uuids: their bytes, unsigned (UUID.compareTo compares signed halves). */
    static int uuidOrder(UUID a, UUID b) {
        int high = Long.compareUnsigned(a.getMostSignificantBits(), b.getMostSignificantBits());
        return high != 0 ? high : Long.compareUnsigned(a.getLeastSignificantBits(), b.getLeastSignificantBits());
    }

    private static IllegalArgumentException unknown(Message candidate) {
        return new IllegalArgumentException("no conversation " + candidate.conversationId());
    }

    private static Message withSeq(Message m, long seq) {
        return new Message(m.id(), m.conversationId(), seq, m.senderId(), m.content(), m.sentAt(), m.tempMessageId(),
                null, null);
    }

    private void failWaiting() {
        List<Pending> left = new ArrayList<>();
        queue.drainTo(left);
        StoreUnavailableException closedFailure = new StoreUnavailableException(STORE,
                new IllegalStateException("the stores are closed"));
        left.forEach(p -> p.result.completeExceptionally(closedFailure));
    }

    /** Stops the writer after the batch it is storing; appends still waiting fail. */
    @Override
    public void close() {
        closed = true;
        writer.interrupt();
        try {
            writer.join(TimeUnit.NANOSECONDS.toMillis(waitNanos));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        failWaiting();
    }

    /** An append waiting for its batch. */
    private static final class Pending {
        final Message message;
        final CompletableFuture<Appended> result = new CompletableFuture<>();

        Pending(Message message) {
            this.message = message;
        }
    }

    /** What {@link #APPEND_SQL} did. */
    private record AppendResult(Long lockedSeq, Long storedSeq) {
    }

    /** One append's answer: stored (or found stored), or this caller's failure. */
    private record Outcome(Appended appended, RuntimeException failure) {
        static Outcome of(Appended appended) {
            return new Outcome(appended, null);
        }

        static Outcome failed(RuntimeException failure) {
            return new Outcome(null, failure);
        }
    }
}
