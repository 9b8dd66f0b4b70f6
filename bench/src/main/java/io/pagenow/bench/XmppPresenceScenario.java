package io.pagenow.bench;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/** Presence against ejabberd, as {@link PresenceScenario} against ours ({@link XmppScenarios} says what is the same). */
final class XmppPresenceScenario {

    private XmppPresenceScenario() {
    }

    /** Presence with a {@code <status>} carrying the page, to the roster's 5 friends (and the sender's own echo). */
    static Map<String, Object> run(Ejabberd server, Profile profile) {
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
        LongAdder completeUpdates = new LongAdder();
        LongAccumulator lastComplete = new LongAccumulator(Math::max, Long.MIN_VALUE);
        Progress progress = new Progress((long) total * perUpdate);
        Map<Ignored, LongAdder> ignored = new EnumMap<>(Ignored.class);
        for (Ignored kind : Ignored.values()) {
            ignored.put(kind, new LongAdder());
        }
        // Every user has seen every friend online (a status-less presence from each): only then
        // has ejabberd handled every login's initial presence and answered its probes.
        Set<String> onlinePairs = java.util.concurrent.ConcurrentHashMap.newKeySet();
        Progress rosterOnline = new Progress((long) users.size() * profile.friends());
        // Each update's status names its step: a contact's last presence from an earlier step
        // (answered to a presence probe) is then told apart from this step's updates.
        String step = "t" + Long.toString(System.nanoTime() % 1_000_000_000L, 36) + "-";
        Map<String, Object> result = new LinkedHashMap<>();

        try (XmppClient client = new XmppClient(server.port(), Ejabberd.DOMAIN, 4, 3)) {
            XmppClient.Handler handler = XmppClient.Handler.of("presence", errors, (socket, stanza, now) -> {
                String status = stanza.status();
                if (status == null) {
                    ignored.get(Ignored.ONLINE_NOTICE).increment();
                    String from = stanza.fromUser();
                    if (from != null && friends.get(socket.userId).contains(from) && onlinePairs.add(socket.userId + ">" + from)) {
                        rosterOnline.add(1);
                    }
                    return;
                }
                if (stanza.delayed()) {
                    ignored.get(Ignored.PROBE_ANSWER).increment();
                    return;
                }
                int i = itemOf(status, step);
                if (i == STALE) {
                    ignored.get(Ignored.STALE).increment();
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
            });
            BenchSocket[] sockets = XmppScenarios.login(client, users, handler, errors);
            long pid = server.pid();
            // On a machine this busy ejabberd can be short of CPU while it still has logins to
            // handle, so its idleness alone does not say the logins are done.
            long loginStart = System.nanoTime();
            result.put("roster_online", rosterOnline.await(profile.drainSeconds()));
            result.put("roster_online_s", Figures.round((System.nanoTime() - loginStart) / 1e9));
            result.put("settle_s", ProcStats.settle(pid));
            CpuWindow cpu = new CpuWindow(pid);
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
            XmppScenarios.closeAll(server, sockets, result);
            long complete = completeUpdates.sum();
            result.put("users", users.size());
            result.put("friends_each", profile.friends());
            loop.putSends(result);
            loop.putRates(result, profile.presenceRate(), complete, lastComplete.get());
            result.put("latency", toFriends.summary());
            result.put("latency_to_self", toSelf.summary());
            result.put("latency_warmup", toFriends.warmupSummary());
            result.put("delivered_complete", complete);
            result.put("deliveries", progress.accounted());
            result.put("duplicates", duplicates.sum());
            result.put("misdelivered", misdelivered.sum());
            for (Ignored kind : Ignored.values()) {
                result.put(kind.key, ignored.get(kind).sum());
            }
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

    /**
     * Presences a step sees that are no delivery of its updates, counted by kind and reported,
     * never as lost.
     */
    enum Ignored {
        /** A friend's initial presence (no status): on no page yet. */
        ONLINE_NOTICE("online_notices_seen"),
        /** An update of an earlier step (a contact's last presence from it, answered to a probe). */
        STALE("stale_presences_seen"),
        /** A contact's last presence answered to a probe (delayed): a repeat, not the update's delivery. */
        PROBE_ANSWER("probe_answers_seen");

        final String key;

        Ignored(String key) {
            this.key = key;
        }
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
}
