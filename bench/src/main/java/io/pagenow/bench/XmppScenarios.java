package io.pagenow.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * Chat, presence and connections against ejabberd through the generator's XMPP mode: the same
 * populations as {@link ChatScenario}, {@link PresenceScenario} and {@link ConnectionsScenario}
 * (built by them), the same open-loop schedule ({@link OpenLoop}), the same latency definition
 * (intended send time to arrival at every other recipient, {@link Latency}) and the same loss
 * check where XMPP has the same thing to check: every item reached every recipient exactly once,
 * and (with {@code mod_mam}) every chat message was archived.
 */
final class XmppScenarios {

    private XmppScenarios() {
    }

    /** Every user of the list logged in once, socket {@code i} for user {@code i}. */
    private static BenchSocket[] login(XmppClient client, List<String> users, XmppClient.Handler handler, Errors errors) {
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
    private static void closeAll(Ejabberd server, BenchSocket[] sockets, Map<String, Object> result) {
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
        long left = server.awaitNoSessions(java.time.Duration.ofMinutes(5));
        result.put("sessions_left_after_close", left);
        result.put("sessions_ended_s", ChatScenario.round((System.nanoTime() - start) / 1e9));
        if (left > 0) {
            // Sessions ejabberd kept after their socket closed: ended by its API, so the next
            // step logs in to a server with none of this one's (they would answer its probes).
            server.kick(Stream.of(sockets).filter(s -> s != null).map(s -> s.userId).distinct().toList());
            left = server.awaitNoSessions(java.time.Duration.ofMinutes(1));
        }
        result.put("sessions_left_after_kick", left);
        result.put("loadgen_open_files_after_close", ProcStats.openFiles(ProcessHandle.current().pid()));
    }

    /** {@code <message type='chat'>} over the chat scenario's conversations, all pairs. */
    static Map<String, Object> chat(Ejabberd server, Profile profile, String tag) {
        ChatScenario shape = new ChatScenario(profile);
        List<List<String>> conversations = shape.conversations();
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
            XmppClient.Handler handler = (socket, stanza, now) -> {
                if (!"message".equals(stanza.name())) {
                    return;
                }
                if ("error".equals(stanza.type())) {
                    errors.add("message error " + stanza.child());
                    return;
                }
                String id = stanza.id();
                if (id == null || !id.startsWith(prefix)) {
                    misdelivered.increment();
                    return;
                }
                int i = Integer.parseInt(id, prefix.length(), id.length(), 10);
                List<String> members = conversations.get(shape.conversationOf(i));
                String sender = shape.senderOf(i);
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
            };
            BenchSocket[] sockets = login(client, users, handler, errors);
            Map<String, BenchSocket> socketOf = new java.util.HashMap<>();
            for (BenchSocket socket : sockets) {
                socketOf.put(socket.userId, socket);
            }
            long pid = server.pid();
            result.put("settle_s", ProcStats.settle(pid));
            ProcStats.CpuWindow cpu = new ProcStats.CpuWindow(pid);
            OpenLoop.Outcome loop = OpenLoop.run(total, profile.chatRate(), (i, due) -> {
                intended.set((int) i, due);
                String sender = shape.senderOf(i);
                List<String> members = conversations.get(shape.conversationOf(i));
                String to = members.get(0).equals(sender) ? members.get(1) : members.get(0);
                // The body carries the intended send time too, as a receiver without this table would read it.
                socketOf.get(sender).send(Xmpp.chat(client.jid(to), prefix + i, "#" + i + " " + due + ChatScenario.PAD));
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
            result.put("rate_target", profile.chatRate());
            result.put("sent", total);
            result.put("send_rate", ChatScenario.round(total / loop.seconds()));
            result.put("rate_achieved", complete == 0 ? 0.0
                    : ChatScenario.round(complete / ((lastComplete.get() - loop.startNanos()) / 1e9)));
            result.put("send_lag_max_ms", ChatScenario.round(loop.maxLagNanos() / 1e6));
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

    /** Presence with a {@code <status>} carrying the page, to the roster's 5 friends (and the sender's own echo). */
    static Map<String, Object> presence(Ejabberd server, Profile profile) {
        Population population = new PresenceScenario(profile).population();
        List<String> users = population.users();
        Map<String, Set<String>> friends = population.friendsByUser();
        int warmup = profile.presenceRate() * profile.warmupSeconds();
        int total = warmup + profile.presenceRate() * profile.presenceSeconds();
        int perUpdate = profile.friends() + 1;
        Errors errors = new Errors();
        Latency toFriends = new Latency(warmup);
        Latency toSelf = new Latency(warmup);
        AtomicLongArray intended = new AtomicLongArray(total);
        AtomicIntegerArray delivered = new AtomicIntegerArray(total);
        LongAdder duplicates = new LongAdder();
        LongAdder misdelivered = new LongAdder();
        LongAdder onlineNotices = new LongAdder();
        LongAdder completeUpdates = new LongAdder();
        LongAccumulator lastComplete = new LongAccumulator(Math::max, Long.MIN_VALUE);
        Progress progress = new Progress((long) total * perUpdate);
        LongAdder stale = new LongAdder();
        LongAdder probeAnswers = new LongAdder();
        // Every user has seen every friend online (a status-less presence from each): only then
        // has ejabberd handled every login's initial presence and answered its probes.
        Set<String> onlinePairs = java.util.concurrent.ConcurrentHashMap.newKeySet();
        Progress rosterOnline = new Progress((long) users.size() * profile.friends());
        // Each update's status names its step: a contact's last presence from an earlier step
        // (answered to a presence probe) is then told apart from this step's updates.
        String step = "t" + Long.toString(System.nanoTime() % 1_000_000_000L, 36) + "-";
        Map<String, Object> result = new LinkedHashMap<>();

        try (XmppClient client = new XmppClient(server.port(), Ejabberd.DOMAIN, 4, 3)) {
            XmppClient.Handler handler = (socket, stanza, now) -> {
                if (!"presence".equals(stanza.name())) {
                    return;
                }
                if ("error".equals(stanza.type())) {
                    errors.add("presence error " + stanza.child());
                    return;
                }
                String status = stanza.status();
                if (status == null) {
                    onlineNotices.increment(); // a friend's initial presence: on no page yet
                    String from = stanza.fromUser();
                    if (from != null && friends.get(socket.userId).contains(from) && onlinePairs.add(socket.userId + ">" + from)) {
                        rosterOnline.add(1);
                    }
                    return;
                }
                if (stanza.delayed()) {
                    // A contact's last presence answered to a probe: a repeat, not the update's delivery.
                    probeAnswers.increment();
                    return;
                }
                int i = itemOf(status, step);
                if (i == STALE) {
                    stale.increment();
                    return;
                }
                String from = i < 0 ? null : users.get(i % users.size());
                if (from == null || !from.equals(stanza.fromUser()) || !status.startsWith(PresenceScenario.url(i) + " ")) {
                    misdelivered.increment();
                    return;
                }
                if (socket.userId.equals(from)) {
                    toSelf.record(i, intended.get(i), now);
                } else if (friends.get(from).contains(socket.userId)) {
                    toFriends.record(i, intended.get(i), now);
                } else {
                    misdelivered.increment();
                    return;
                }
                int n = delivered.incrementAndGet(i);
                if (n > perUpdate) {
                    duplicates.increment();
                    return;
                }
                if (n == perUpdate) {
                    completeUpdates.increment();
                    lastComplete.accumulate(now);
                }
                progress.add(1);
            };
            BenchSocket[] sockets = login(client, users, handler, errors);
            long pid = server.pid();
            // On a machine this busy ejabberd can be short of CPU while it still has logins to
            // handle, so its idleness alone does not say the logins are done.
            long loginStart = System.nanoTime();
            result.put("roster_online", rosterOnline.await(profile.drainSeconds()));
            result.put("roster_online_s", ChatScenario.round((System.nanoTime() - loginStart) / 1e9));
            result.put("settle_s", ProcStats.settle(pid));
            ProcStats.CpuWindow cpu = new ProcStats.CpuWindow(pid);
            OpenLoop.Outcome loop = OpenLoop.run(total, profile.presenceRate(), (i, due) -> {
                intended.set((int) i, due);
                sockets[(int) (i % sockets.length)].send(Xmpp.presence(status(i, step)));
            });
            boolean drained = progress.await(profile.drainSeconds());
            long undeliveredAtDrain = total - completeUpdates.sum();
            result.put("cpu", cpu.close());
            if (!drained) {
                progress.await(profile.drainSeconds());
            }
            long dropped = Sockets.dropped(sockets);
            closeAll(server, sockets, result);
            long complete = completeUpdates.sum();
            result.put("users", users.size());
            result.put("friends_each", profile.friends());
            result.put("rate_target", profile.presenceRate());
            result.put("sent", total);
            result.put("send_rate", ChatScenario.round(total / loop.seconds()));
            result.put("rate_achieved", complete == 0 ? 0.0
                    : ChatScenario.round(complete / ((lastComplete.get() - loop.startNanos()) / 1e9)));
            result.put("send_lag_max_ms", ChatScenario.round(loop.maxLagNanos() / 1e6));
            result.put("latency", toFriends.summary());
            result.put("latency_to_self", toSelf.summary());
            result.put("latency_warmup", toFriends.warmupSummary());
            result.put("delivered_complete", complete);
            result.put("deliveries", progress.accounted());
            result.put("duplicates", duplicates.sum());
            result.put("misdelivered", misdelivered.sum());
            result.put("online_notices_seen", onlineNotices.sum());
            result.put("stale_presences_seen", stale.sum());
            result.put("probe_answers_seen", probeAnswers.sum());
            result.put("sockets_dropped", dropped);
            result.put("lost", duplicates.sum() + misdelivered.sum());
            result.put("undelivered_after_drain", undeliveredAtDrain);
            result.put("undelivered_after_twice_the_drain", total - complete);
            result.put("drain_s", profile.drainSeconds());
            result.put("errors", errors.total());
            result.put("errors_by_kind", errors.byKind());
            result.put("complete", drained);
        }
        return result;
    }

    static final int STALE = -2;

    /** A presence update's status: its page, then the step and the item. */
    static String status(long i, String step) {
        return PresenceScenario.url(i) + " " + step + i;
    }

    /**
     * The item a status names: its index, {@link #STALE} for an update of another step, -1 for
     * a status that is no update of the generator.
     */
    static int itemOf(String status, String step) {
        int space = status.lastIndexOf(' ');
        if (space < 0) {
            return -1;
        }
        if (!status.startsWith(step, space + 1)) {
            return status.indexOf('-', space) > 0 ? STALE : -1;
        }
        try {
            return Integer.parseInt(status, space + 1 + step.length(), status.length(), 10);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * The connect storm and the idle sockets: N sessions (4 per user, as resources) logged in at a
     * fixed rate, then held idle; resident memory of the Erlang VM per session.
     */
    static Map<String, Object> connections(Ejabberd server, Profile profile) {
        int n = profile.sockets();
        List<String> users = new ConnectionsScenario(profile).population().users();
        Errors errors = new Errors();
        Latency connectLatency = new Latency(0);
        LongAdder failed = new LongAdder();
        LongAdder generatorFailed = new LongAdder();
        LongAccumulator lastOpen = new LongAccumulator(Math::max, Long.MIN_VALUE);
        BenchSocket[] sockets = new BenchSocket[n];
        Map<String, Object> result = new LinkedHashMap<>();
        long pid = server.pid();

        try (XmppClient client = new XmppClient(server.port(), Ejabberd.DOMAIN, 4, 3)) {
            result.put("settle_s", ProcStats.settle(pid));
            long rssBefore = ProcStats.residentBytes(pid);
            ConnectionsScenario.checkGeneratorFiles(n);
            XmppClient.Handler handler = (socket, stanza, now) -> {
                if ("error".equals(stanza.type()) || "error".equals(stanza.name())) {
                    errors.add(stanza.name() + " error " + stanza.child());
                }
            };
            CompletableFuture<?>[] opening = new CompletableFuture<?>[n];
            ProcStats.CpuWindow connectCpu = new ProcStats.CpuWindow(pid);
            OpenLoop.Outcome loop = OpenLoop.run(n, profile.connectRate(), (i, due) -> {
                int j = (int) i;
                String user = users.get(j / ConnectionsScenario.SOCKETS_PER_USER);
                opening[j] = client.open(user, Ejabberd.PASSWORD, "tab" + (j % ConnectionsScenario.SOCKETS_PER_USER), j,
                        handler, errors).whenComplete((socket, e) -> {
                    long now = System.nanoTime();
                    if (e != null) {
                        ConnectionsScenario.countFailure(Sockets.whyNotOpened(e), failed, generatorFailed, errors);
                    } else {
                        sockets[j] = socket;
                        connectLatency.record(i, due, now);
                        lastOpen.accumulate(now);
                    }
                });
            });
            try {
                CompletableFuture.allOf(opening).get(150 + n / Math.max(1, profile.connectRate()), TimeUnit.SECONDS);
            } catch (Exception e) {
                // counted per socket below
            }
            Map<String, Object> cpuConnect = connectCpu.close();
            long opened = Stream.of(sockets).filter(s -> s != null).count();
            ProcStats.CpuWindow holdCpu = new ProcStats.CpuWindow(pid);
            // Held idle: XMPP sessions need no heartbeat (ours get theirs in ConnectionsScenario).
            LockSupport.parkNanos(profile.holdSeconds() * 1_000_000_000L);
            Map<String, Object> cpuHold = holdCpu.close();
            long rssAfter = ProcStats.residentBytes(pid);
            long dropped = Sockets.dropped(sockets);
            boolean settled = Stream.of(opening).allMatch(CompletableFuture::isDone);
            closeAll(server, sockets, result);
            result.put("sockets_target", n);
            result.put("users", users.size());
            result.put("opened", opened);
            result.put("connect_failed", failed.sum());
            result.put("generator_failed", generatorFailed.sum());
            result.put("rate_target", profile.connectRate());
            result.put("rate_achieved", opened == 0 ? 0.0
                    : ChatScenario.round(opened / ((lastOpen.get() - loop.startNanos()) / 1e9)));
            result.put("send_lag_max_ms", ChatScenario.round(loop.maxLagNanos() / 1e6));
            result.put("latency", connectLatency.summary());
            result.put("rss_before_bytes", rssBefore);
            result.put("rss_after_bytes", rssAfter);
            result.put("rss_per_socket_bytes", ProcStats.perSocket(rssBefore, rssAfter, opened));
            result.put("cpu_connect", cpuConnect);
            result.put("cpu", cpuHold);
            result.put("sockets_dropped", dropped);
            result.put("lost", (n - opened - generatorFailed.sum()) + dropped);
            result.put("errors", errors.total());
            result.put("errors_by_kind", errors.byKind());
            result.put("complete", settled);
        }
        return result;
    }
}
