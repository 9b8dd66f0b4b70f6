package io.pagenow.bench;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Consumer;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/**
 * Chat: every user online with one chat socket, in one direct and (mostly) one group
 * conversation; messages go out at a fixed total rate, round-robin over conversations and their
 * members. Latency runs from each message's intended send time to its {@code new-message} at
 * every other participant; the sender's own copy (its acknowledgement) is measured apart.
 * Nothing lost means: every message sent was stored exactly once (read back through the REST
 * message listing) and delivered exactly once to every participant.
 *
 * <p>After the open-loop run has drained, a closed-loop capacity step keeps a fixed number of
 * messages in flight (the next goes out when one has reached every participant) for a few seconds
 * on the same server: the most it stores and delivers, which is what is compared with pgbench's
 * insert rate. Its messages are checked for loss like the others.
 */
final class ChatScenario implements Scenario {

    /** Bounds the capacity step's messages (and the arrays sized for them) at this rate. */
    static final int CAPACITY_MAX_RATE = 50_000;

    static final String PAD = " lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incid";

    private final Profile profile;
    private final List<String> users;
    private final List<List<String>> conversations = new ArrayList<>();
    private final List<Set<String>> memberSets = new ArrayList<>();

    ChatScenario(Profile profile) {
        this.profile = profile;
        this.users = Population.userIds("chat-", profile.chatUsers());
        int n = users.size();
        for (int i = 0; i + 1 < n; i += 2) {
            conversations.add(List.of(users.get(i), users.get(i + 1)));
        }
        int g = profile.groupSize();
        for (int j = 0; j + g <= n; j += g) {
            List<String> members = new ArrayList<>();
            for (int k = 0; k < g; k++) {
                members.add(users.get((j + 1 + k) % n)); // shifted by one: never the same users as a direct pair
            }
            conversations.add(List.copyOf(members));
        }
        conversations.forEach(c -> memberSets.add(Set.copyOf(c)));
    }

    @Override
    public String name() {
        return "chat";
    }

    @Override
    public Population population() {
        return Population.of(users);
    }

    List<List<String>> conversations() {
        return conversations;
    }

    /** Message {@code i} goes to conversation {@code i % C}, sent by its members in turn. */
    int conversationOf(long i) {
        return (int) (i % conversations.size());
    }

    String senderOf(long i) {
        List<String> members = conversations.get(conversationOf(i));
        return members.get((int) ((i / conversations.size()) % members.size()));
    }

    @Override
    public Map<String, Object> run(Target target) throws Exception {
        int warmup = profile.chatRate() * profile.warmupSeconds();
        int total = warmup + profile.chatRate() * profile.chatSeconds();
        int capacityMax = CAPACITY_MAX_RATE * profile.chatCapacitySeconds();
        String tag = target.tag() + "c";
        Errors errors = new Errors();
        Latency toOthers = new Latency(warmup);
        Latency toSender = new Latency(warmup);
        Latency capacityLatency = new Latency(0);
        Semaphore inFlight = new Semaphore(profile.chatCapacityWindow());
        LongAdder capacityComplete = new LongAdder();
        LongAccumulator lastCapacityComplete = new LongAccumulator(Math::max, Long.MIN_VALUE);
        AtomicLongArray intended = new AtomicLongArray(total + capacityMax);
        AtomicIntegerArray delivered = new AtomicIntegerArray(total + capacityMax);
        LongAdder duplicates = new LongAdder();
        LongAdder misdelivered = new LongAdder();
        LongAdder completeMessages = new LongAdder();
        LongAccumulator lastComplete = new LongAccumulator(Math::max, Long.MIN_VALUE);
        long expected = 0;
        for (int i = 0; i < total; i++) {
            expected += conversations.get(conversationOf(i)).size();
        }
        Progress progress = new Progress(expected);
        String[] conversationIds = new String[conversations.size()];
        Map<String, Object> result = new LinkedHashMap<>();

        try (Wire wire = target.wire(4, 3)) {
            Map<String, String> tokens = wire.tokens(users, 16);
            createConversations(wire, tokens, conversationIds);

            BenchSocket.Handler handler = (socket, text, now) -> {
                Frame frame = Frame.parse(text);
                if ("new-message".equals(frame.type())) {
                    String temp = frame.tempMessageId();
                    if (temp == null || !temp.startsWith(tag + "-")) {
                        misdelivered.increment();
                        return;
                    }
                    int i = Integer.parseInt(temp, tag.length() + 1, temp.length(), 10);
                    int c = conversationOf(i);
                    if (!conversationIds[c].equals(frame.conversationId()) || !memberSets.get(c).contains(socket.userId)) {
                        misdelivered.increment();
                        return;
                    }
                    if (i >= total) {
                        if (!socket.userId.equals(senderOf(i))) {
                            capacityLatency.record(i, intended.get(i), now);
                        }
                    } else if (socket.userId.equals(senderOf(i))) {
                        toSender.record(i, intended.get(i), now);
                    } else {
                        toOthers.record(i, intended.get(i), now);
                    }
                    int n = delivered.incrementAndGet(i);
                    int size = conversations.get(c).size();
                    if (n > size) {
                        duplicates.increment();
                        return;
                    }
                    if (n == size && i >= total) {
                        capacityComplete.increment();
                        lastCapacityComplete.accumulate(now);
                        inFlight.release();
                    } else if (n == size) {
                        completeMessages.increment();
                        lastComplete.accumulate(now);
                    }
                    if (i < total) {
                        progress.add(1);
                    }
                } else if ("error".equals(frame.type())) {
                    errors.errorEvent(frame);
                    String temp = frame.tempMessageId();
                    if (temp != null && temp.startsWith(tag + "-")) {
                        int i = Integer.parseInt(temp, tag.length() + 1, temp.length(), 10);
                        if (i >= total) {
                            inFlight.release();
                        } else {
                            progress.add(conversations.get(conversationOf(i)).size());
                        }
                    }
                }
            };
            BenchSocket[] sockets = Sockets.open(wire, users, "chat", tokens, handler, errors);
            Map<String, BenchSocket> socketOf = new HashMap<>();
            for (BenchSocket socket : sockets) {
                socketOf.put(socket.userId, socket);
            }

            result.put("settle_s", ProcStats.settle(target.server().pid()));
            CpuWindow cpu = target.cpuWindow();
            OpenLoop.Action send = (i, due) -> {
                int c = conversationOf(i);
                intended.set((int) i, due);
                socketOf.get(senderOf(i)).send("{\"action\":\"send-message\",\"tempMessageId\":\"" + tag + "-" + i
                        + "\",\"conversationId\":\"" + conversationIds[c] + "\",\"content\":\"#" + i + PAD + "\"}");
            };
            OpenLoop.Outcome loop = OpenLoop.run(total, profile.chatRate(), send);
            boolean drained = progress.await(profile.drainSeconds());
            long undeliveredAtDrain = total - completeMessages.sum();
            result.put("cpu", cpu.close(completeMessages.sum()));

            Map<String, Object> capacity = new LinkedHashMap<>();
            int capacitySent = 0;
            if (drained && profile.chatCapacitySeconds() > 0) {
                int window = profile.chatCapacityWindow();
                CpuWindow capacityCpu = target.cpuWindow();
                long start = System.nanoTime();
                long end = start + profile.chatCapacitySeconds() * 1_000_000_000L;
                boolean stalled = false;
                while (System.nanoTime() < end && capacitySent < capacityMax) {
                    if (!inFlight.tryAcquire(profile.drainSeconds(), TimeUnit.SECONDS)) {
                        stalled = true;
                        break;
                    }
                    send.issue(total + capacitySent++, System.nanoTime());
                }
                boolean capacityDrained = !stalled && inFlight.tryAcquire(window, profile.drainSeconds(), TimeUnit.SECONDS);
                long completed = capacityComplete.sum();
                double seconds = (lastCapacityComplete.get() - start) / 1e9;
                capacity.put("window", window);
                capacity.put("seconds", profile.chatCapacitySeconds());
                capacity.put("sent", capacitySent);
                capacity.put("delivered_complete", completed);
                capacity.put("rate", completed == 0 ? 0.0 : Figures.round(completed / seconds));
                capacity.put("latency", capacityLatency.summary());
                capacity.put("cpu", capacityCpu.close(completed));
                capacity.put("complete", capacityDrained);
            }
            // A run that did not drain in time gets as long again, still listening, so late (the
            // server was still working off its backlog) is told apart from never delivered.
            if (!drained) {
                progress.await(profile.drainSeconds());
            }
            long undeliveredAtEnd = total - completeMessages.sum();
            long dropped = Sockets.dropped(sockets);
            Sockets.closeAll(sockets);

            Stored stored = readBack(wire, tokens, conversationIds, total + capacitySent);
            long complete = completeMessages.sum();

            result.put("users", users.size());
            result.put("conversations", conversations.size());
            loop.putSends(result);
            loop.putRates(result, profile.chatRate(), complete, lastComplete.get());
            result.put("latency", toOthers.summary());
            result.put("latency_to_sender", toSender.summary());
            result.put("warmup_s", profile.warmupSeconds());
            result.put("latency_warmup", toOthers.warmupSummary());
            result.put("sent_with_capacity_step", total + capacitySent);
            result.put("stored", stored.count());
            result.put("delivered_complete", complete);
            result.put("deliveries", progress.accounted());
            result.put("deliveries_expected", expected);
            result.put("duplicates", duplicates.sum() + stored.duplicates());
            result.put("misdelivered", misdelivered.sum());
            result.put("sockets_dropped", dropped);
            // Lost: sent but not stored, stored or delivered twice, or delivered to someone else.
            // Not yet delivered when the drain time ran out is reported apart (the run fails too).
            // Counted only once everything arrived: a server still working off a backlog has not
            // lost what it has not stored yet (and the run fails as incomplete anyway).
            boolean capacityDrained = !capacity.containsKey("complete") || Boolean.TRUE.equals(capacity.get("complete"));
            long lost = (drained && capacityDrained ? total + capacitySent - stored.count() : 0) + duplicates.sum()
                    + stored.duplicates() + misdelivered.sum();
            result.put("lost", lost);
            result.put("undelivered_after_drain", undeliveredAtDrain);
            result.put("undelivered_after_twice_the_drain", undeliveredAtEnd);
            result.put("drain_s", profile.drainSeconds());
            result.put("errors", errors.total());
            result.put("errors_by_kind", errors.byKind());
            result.put("capacity", capacity);
            result.put("complete", drained && capacityDrained && stored.readAll());
        }
        return result;
    }

    private void createConversations(Wire wire, Map<String, String> tokens, String[] ids) {
        List<Integer> indexes = new ArrayList<>();
        for (int c = 0; c < conversations.size(); c++) {
            indexes.add(c);
        }
        Wire.forEachBounded(indexes, 32, c -> {
            List<String> members = conversations.get(c);
            boolean group = members.size() > 2;
            String body = "{\"recipientIdArr\":" + jsonArray(members.subList(1, members.size()))
                    + ",\"isGroup\":" + group + ",\"title\":\"" + (group ? "bench group " + c : "") + "\"}";
            return wire.post("/conversation", tokens.get(members.get(0)), body).thenAccept(response ->
                    ids[c] = Wire.parse(Wire.expect(response, 200, "POST /conversation")).get("conversationId").asText());
        });
    }

    record Stored(long count, long duplicates, boolean readAll) {
    }

    /** Reads every conversation's messages back over REST and counts the benchmark's messages found. */
    private Stored readBack(Wire wire, Map<String, String> tokens, String[] ids, int total) {
        BitSet seen = new BitSet(total);
        long[] counts = new long[2]; // found, duplicates; guarded by seen
        List<Integer> indexes = new ArrayList<>();
        for (int c = 0; c < conversations.size(); c++) {
            indexes.add(c);
        }
        try {
            Wire.forEachBounded(indexes, 8, c -> readPages(wire, tokens.get(conversations.get(c).get(0)), ids[c], null,
                    content -> {
                        int space = content.indexOf(' ');
                        if (!content.startsWith("#") || space < 2) {
                            return;
                        }
                        int i = Integer.parseInt(content, 1, space, 10);
                        synchronized (seen) {
                            if (i >= total) {
                                return;
                            }
                            if (seen.get(i)) {
                                counts[1]++;
                            } else {
                                seen.set(i);
                                counts[0]++;
                            }
                        }
                    }));
            synchronized (seen) {
                return new Stored(counts[0], counts[1], true);
            }
        } catch (RuntimeException e) {
            synchronized (seen) {
                return new Stored(counts[0], counts[1], false);
            }
        }
    }

    /**
     * Pages through a conversation's messages newest first, 100 at a time, with the keyset cursor
     * ({@code before}): stable while the server may still be appending, where offsets would shift.
     */
    static CompletableFuture<Void> readPages(Wire wire, String token, String conversationId, String before,
                                             Consumer<String> content) {
        return wire.getPatiently("/conversations/" + conversationId + "/messages?limit=100"
                        + (before == null ? "" : "&before=" + before), token)
                .thenCompose(response -> {
                    JsonNode page = Wire.parse(Wire.expect(response, 200, "GET /conversations/{id}/messages"));
                    page.forEach(message -> content.accept(message.get("content").asText()));
                    return page.size() < 100 ? CompletableFuture.completedFuture(null)
                            : readPages(wire, token, conversationId, page.get(page.size() - 1).get("messageId").asText(),
                            content);
                });
    }

    static String jsonArray(List<String> items) {
        StringBuilder s = new StringBuilder("[");
        for (int i = 0; i < items.size(); i++) {
            s.append(i == 0 ? "" : ",").append('"').append(items.get(i)).append('"');
        }
        return s.append(']').toString();
    }
}
