package io.pagenow.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
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

    private final Profile profile;
    private final List<String> users;
    private final ConversationPlan plan;
    private final List<Set<String>> memberSets = new ArrayList<>();

    ChatScenario(Profile profile) {
        this.profile = profile;
        this.users = Population.userIds("chat-", profile.chatUsers());
        List<List<String>> conversations = new ArrayList<>();
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
        this.plan = new ConversationPlan(conversations);
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

    /** Message {@code i} goes to conversation {@code i % C}, sent by its members in turn. */
    ConversationPlan plan() {
        return plan;
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
        ClosedLoop capacityStep = new ClosedLoop(profile.chatCapacityWindow());
        AtomicLongArray intended = new AtomicLongArray(total + capacityMax);
        AtomicIntegerArray delivered = new AtomicIntegerArray(total + capacityMax);
        LongAdder duplicates = new LongAdder();
        LongAdder misdelivered = new LongAdder();
        LongAdder completeMessages = new LongAdder();
        LongAccumulator lastComplete = new LongAccumulator(Math::max, Long.MIN_VALUE);
        long expected = 0;
        for (int i = 0; i < total; i++) {
            expected += plan.members(plan.conversationOf(i)).size();
        }
        Progress progress = new Progress(expected);
        String[] conversationIds = new String[plan.size()];
        Map<String, Object> result = new LinkedHashMap<>();

        try (Wire wire = target.wire(4, 3)) {
            Map<String, String> tokens = wire.tokens(users, 16);
            plan.create(wire, tokens, conversationIds, "bench group ");

            BenchSocket.Handler handler = (socket, text, now) -> {
                Frame frame = Frame.parse(text);
                if ("new-message".equals(frame.type())) {
                    String temp = frame.tempMessageId();
                    if (temp == null || !temp.startsWith(tag + "-")) {
                        misdelivered.increment();
                        return;
                    }
                    int i = Integer.parseInt(temp, tag.length() + 1, temp.length(), 10);
                    int c = plan.conversationOf(i);
                    if (!conversationIds[c].equals(frame.conversationId()) || !memberSets.get(c).contains(socket.userId)) {
                        misdelivered.increment();
                        return;
                    }
                    if (i >= total) {
                        if (!socket.userId.equals(plan.senderOf(i))) {
                            capacityStep.record(i, intended.get(i), now);
                        }
                    } else if (socket.userId.equals(plan.senderOf(i))) {
                        toSender.record(i, intended.get(i), now);
                    } else {
                        toOthers.record(i, intended.get(i), now);
                    }
                    int n = delivered.incrementAndGet(i);
                    int size = plan.members(c).size();
                    if (n > size) {
                        duplicates.increment();
                        return;
                    }
                    if (n == size && i >= total) {
                        capacityStep.completed(now);
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
                            capacityStep.failed();
                        } else {
                            progress.add(plan.members(plan.conversationOf(i)).size());
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
                intended.set((int) i, due);
                socketOf.get(plan.senderOf(i)).send(plan.sendMessage(tag, i, conversationIds));
            };
            OpenLoop.Outcome loop = OpenLoop.run(total, profile.chatRate(), send);
            boolean drained = progress.await(profile.drainSeconds());
            long undeliveredAtDrain = total - completeMessages.sum();
            result.put("cpu", cpu.close(completeMessages.sum()));

            ClosedLoop.Outcome capacity = ClosedLoop.Outcome.notRun();
            if (drained && profile.chatCapacitySeconds() > 0) {
                capacity = capacityStep.run(profile.chatCapacitySeconds(), capacityMax, profile.drainSeconds(),
                        target.cpuWindow(), (k, now) -> send.issue(total + k, now));
                capacity.figures().put("delivered_complete", capacity.completed());
            }
            int capacitySent = (int) capacity.sent();
            // A run that did not drain in time gets as long again, still listening, so late (the
            // server was still working off its backlog) is told apart from never delivered.
            if (!drained) {
                progress.await(profile.drainSeconds());
            }
            long undeliveredAtEnd = total - completeMessages.sum();
            long dropped = Sockets.dropped(sockets);
            Sockets.closeAll(sockets);

            MessageReadBack.Stored stored = MessageReadBack.read(wire, plan, tokens, conversationIds, total + capacitySent);
            long complete = completeMessages.sum();

            result.put("users", users.size());
            result.put("conversations", plan.size());
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
            boolean capacityDrained = capacity.drained();
            long lost = (drained && capacityDrained ? total + capacitySent - stored.count() : 0) + duplicates.sum()
                    + stored.duplicates() + misdelivered.sum();
            result.put("lost", lost);
            result.put("undelivered_after_drain", undeliveredAtDrain);
            result.put("undelivered_after_twice_the_drain", undeliveredAtEnd);
            result.put("drain_s", profile.drainSeconds());
            result.put("errors", errors.total());
            result.put("errors_by_kind", errors.byKind());
            result.put("capacity", capacity.figures());
            result.put("complete", drained && capacityDrained && stored.readAll());
        }
        return result;
    }
}
