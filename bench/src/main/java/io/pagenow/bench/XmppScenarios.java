package io.pagenow.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/**
 * Chat against ejabberd through the generator's XMPP mode, and what the XMPP scenarios share
 * (logging in, closing). The XMPP scenarios ({@code chat} here, {@link XmppPresenceScenario},
 * {@link XmppConnectionsScenario}) use the same populations as {@link ChatScenario},
 * {@link PresenceScenario} and {@link ConnectionsScenario} (built by them), the same open-loop
 * schedule ({@link OpenLoop}), the same latency definition (intended send time to arrival at every
 * other recipient, {@link Latency}) and the same loss check where XMPP has the same thing to
 * check: every item reached every recipient exactly once, and (with {@code mod_mam}) every chat
 * message was archived.
 */
final class XmppScenarios {

    private XmppScenarios() {
    }

    /** Every user of the list logged in once, socket {@code i} for user {@code i}. */
    static BenchSocket[] login(XmppClient client, List<String> users, XmppClient.Handler handler, Errors errors) {
        BenchSocket[] sockets = new BenchSocket[users.size()];
        List<Integer> indexes = new ArrayList<>();
        for (int i = 0; i < users.size(); i++) {
            indexes.add(i);
        }
        Wire.forEachBounded(indexes, 64, i -> client.open(users.get(i), Ejabberd.PASSWORD, "r", i, handler, errors)
                .thenAccept(socket -> sockets[i] = socket));
        return sockets;
    }

    /**
     * Ends every session (XMPP {@code <close/>}, then the WebSocket close, dropping any socket
     * whose close is not answered) and waits until ejabberd holds none, so the next step starts
     * from a server with no session of this one and a generator with none of its sockets.
     */
    static void closeAll(Ejabberd server, BenchSocket[] sockets, Map<String, Object> result) {
        for (BenchSocket socket : sockets) {
            if (socket != null && socket.isOpen()) {
                socket.send(Xmpp.close());
            }
        }
        result.put("sockets_aborted_at_close", Sockets.closeAll(sockets));
        // Long: each session handles its close after everything queued before it, so a step the
        // server fell behind in ends only once that backlog is worked off (which the next step
        // must not inherit either).
        long start = System.nanoTime();
        long left = server.api().awaitNoSessions(java.time.Duration.ofMinutes(5));
        result.put("sessions_left_after_close", left);
        result.put("sessions_ended_s", Figures.round((System.nanoTime() - start) / 1e9));
        if (left > 0) {
            // Sessions ejabberd kept after their socket closed: ended by its API, so the next
            // step logs in to a server with none of this one's (they would answer its probes).
            server.api().kick(Stream.of(sockets).filter(s -> s != null).map(s -> s.userId).distinct().toList());
            left = server.api().awaitNoSessions(java.time.Duration.ofMinutes(1));
        }
        result.put("sessions_left_after_kick", left);
        result.put("loadgen_open_files_after_close", ProcStats.openFiles(ProcessHandle.current().pid()));
    }

    /** {@code <message type='chat'>} over the chat scenario's conversations, all pairs. */
    static Map<String, Object> chat(Ejabberd server, Profile profile, String tag) {
        ChatScenario shape = new ChatScenario(profile);
        ConversationPlan plan = shape.plan();
        List<List<String>> conversations = plan.conversations();
        if (conversations.stream().anyMatch(c -> c.size() != 2)) {
            throw new IllegalArgumentException("XMPP's one-to-one chat needs conversations of two (group size 2)");
        }
        List<String> users = shape.population().users();
        int warmup = profile.chatRate() * profile.warmupSeconds();
        int total = warmup + profile.chatRate() * profile.chatSeconds();
        Errors errors = new Errors();
        Latency toOthers = new Latency(warmup);
        AtomicLongArray intended = new AtomicLongArray(total);
        AtomicIntegerArray delivered = new AtomicIntegerArray(total);
        LongAdder duplicates = new LongAdder();
        LongAdder misdelivered = new LongAdder();
        LongAccumulator lastComplete = new LongAccumulator(Math::max, Long.MIN_VALUE);
        Progress progress = new Progress(total);
        String prefix = tag + "-";
        Map<String, Object> result = new LinkedHashMap<>();

        if (server.archive() != null) {
            // Each step of the ladder counts its own rows (ours starts a fresh database per step).
            server.archive().sql("TRUNCATE archive;");
        }
        try (XmppClient client = new XmppClient(server.port(), Ejabberd.DOMAIN, 4, 3)) {
            XmppClient.Handler handler = XmppClient.Handler.of("message", errors, (socket, stanza, now) -> {
                String id = stanza.id();
                if (id == null || !id.startsWith(prefix)) {
                    misdelivered.increment();
                    return;
                }
                int i = Integer.parseInt(id, prefix.length(), id.length(), 10);
                List<String> members = plan.members(plan.conversationOf(i));
                String sender = plan.senderOf(i);
                if (!sender.equals(stanza.fromUser()) || !members.contains(socket.userId) || sender.equals(socket.userId)) {
                    misdelivered.increment();
                    return;
                }
                toOthers.record(i, intended.get(i), now);
                if (delivered.incrementAndGet(i) > 1) {
                    duplicates.increment();
                    return;
                }
                lastComplete.accumulate(now);
                progress.add(1);
            });
            BenchSocket[] sockets = login(client, users, handler, errors);
            Map<String, BenchSocket> socketOf = new java.util.HashMap<>();
            for (BenchSocket socket : sockets) {
                socketOf.put(socket.userId, socket);
            }
            long pid = server.pid();
            result.put("settle_s", ProcStats.settle(pid));
            CpuWindow cpu = new CpuWindow(pid);
            OpenLoop.Outcome loop = OpenLoop.run(total, profile.chatRate(), (i, due) -> {
                intended.set((int) i, due);
                String sender = plan.senderOf(i);
                List<String> members = plan.members(plan.conversationOf(i));
                String to = members.get(0).equals(sender) ? members.get(1) : members.get(0);
                // The body carries the intended send time too, as a receiver without this table would read it.
                socketOf.get(sender).send(Xmpp.chat(client.jid(to), prefix + i, "#" + i + " " + due + ConversationPlan.PAD));
            });
            boolean drained = progress.await(profile.drainSeconds());
            long undeliveredAtDrain = total - progress.accounted();
            result.put("cpu", cpu.close());
            if (!drained) {
                progress.await(profile.drainSeconds());
            }
            long dropped = Sockets.dropped(sockets);
            closeAll(server, sockets, result);
            long complete = progress.accounted();
            result.put("users", users.size());
            result.put("conversations", conversations.size());
            loop.putSends(result);
            loop.putRates(result, profile.chatRate(), complete, lastComplete.get());
            result.put("latency", toOthers.summary());
            result.put("latency_warmup", toOthers.warmupSummary());
            result.put("delivered_complete", complete);
            result.put("duplicates", duplicates.sum());
            result.put("misdelivered", misdelivered.sum());
            result.put("sockets_dropped", dropped);
            long archiveMissing = 0;
            if (server.archive() != null) {
                // mod_mam keeps a copy in the sender's archive and one in the recipient's.
                String[] counts = server.archive().sql("SELECT count(*), count(DISTINCT (username, txt)) FROM archive "
                        + "WHERE kind = 'chat' AND txt LIKE '#%';").split("\\|");
                long rows = Long.parseLong(counts[0].strip());
                long distinct = Long.parseLong(counts[1].strip());
                result.put("archived_rows", rows);
                result.put("archived_expected", 2L * total);
                archiveMissing = drained ? 2L * total - distinct : 0;
                result.put("archive_duplicates", rows - distinct);
                archiveMissing += rows - distinct;
            }
            result.put("lost", duplicates.sum() + misdelivered.sum() + archiveMissing);
            result.put("undelivered_after_drain", undeliveredAtDrain);
            result.put("undelivered_after_twice_the_drain", total - complete);
            result.put("drain_s", profile.drainSeconds());
            result.put("errors", errors.total());
            result.put("errors_by_kind", errors.byKind());
            result.put("complete", drained);
        }
        return result;
    }
}
