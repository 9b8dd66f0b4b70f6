package io.pagenow.bench;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/**
 * Presence: users in a ring where each has exactly F friends, all online with one presence
 * socket; {@code update-presence} goes out at a fixed total rate, round-robin over the users.
 * Latency runs from the intended send time to the {@code update-presence} event at every friend
 * (the user's own copy is measured apart). Nothing lost means: every update reached every friend
 * and the user exactly once, and each user's stored page (REST {@code GET /presence/{userId}})
 * is the last one the user sent.
 */
final class PresenceScenario implements Scenario {

    private final Profile profile;
    private final Population population;
    private final List<String> users;
    private final Map<String, Set<String>> friends;

    PresenceScenario(Profile profile) {
        this.profile = profile;
        int n = profile.presenceUsers() + (profile.friends() % 2 == 1 && profile.presenceUsers() % 2 == 1 ? 1 : 0);
        this.population = Population.circulant("presence-", n, profile.friends());
        this.users = population.users();
        this.friends = population.friendsByUser();
    }

    @Override
    public String name() {
        return "presence";
    }

    @Override
    public Population population() {
        return population;
    }

    static String url(long i) {
        return "https://s" + (i % 97) + ".example.com/p/" + i;
    }

    @Override
    public Map<String, Object> run(Target target) throws Exception {
        int warmup = profile.presenceRate() * profile.warmupSeconds();
        int total = warmup + profile.presenceRate() * profile.presenceSeconds();
        int perUpdate = profile.friends() + 1;
        long expected = (long) total * perUpdate;
        Errors errors = new Errors();
        Latency toFriends = new Latency(warmup);
        Latency toSelf = new Latency(warmup);
        AtomicLongArray intended = new AtomicLongArray(total);
        AtomicIntegerArray delivered = new AtomicIntegerArray(total);
        LongAdder duplicates = new LongAdder();
        LongAdder misdelivered = new LongAdder();
        LongAdder timeouts = new LongAdder();
        LongAdder onlineNotices = new LongAdder();
        LongAdder completeUpdates = new LongAdder();
        LongAccumulator lastComplete = new LongAccumulator(Math::max, Long.MIN_VALUE);
        Progress progress = new Progress(expected);
        Map<String, Object> result = new LinkedHashMap<>();

        try (Wire wire = target.wire(4, 3)) {
            Map<String, String> tokens = wire.tokens(users, 16);
            BenchSocket.Handler handler = (socket, text, now) -> {
                Frame frame = Frame.parse(text);
                if ("update-presence".equals(frame.type())) {
                    String title = frame.title();
                    if ("".equals(title) && "".equals(frame.url())) {
                        // A friend came online (its first heartbeat): on no shared page yet.
                        onlineNotices.increment();
                        return;
                    }
                    if (title == null || !title.startsWith("t")) {
                        misdelivered.increment();
                        return;
                    }
                    int i = Integer.parseInt(title, 1, title.length(), 10);
                    String from = users.get(i % users.size());
                    if (!from.equals(frame.userId()) || !url(i).equals(frame.url())) {
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
                } else if ("presence-timeout".equals(frame.type())) {
                    timeouts.increment();
                } else if ("error".equals(frame.type())) {
                    errors.errorEvent(frame);
                }
            };
            BenchSocket[] sockets = Sockets.open(wire, users, "presence", tokens, handler, errors);

            result.put("settle_s", ProcStats.settle(target.server().pid()));
            CpuWindow cpu = target.cpuWindow();
            OpenLoop.Outcome loop = OpenLoop.run(total, profile.presenceRate(), (i, due) -> {
                intended.set((int) i, due);
                sockets[(int) (i % sockets.length)].send("{\"action\":\"update-presence\",\"url\":\"" + url(i)
                        + "\",\"title\":\"t" + i + "\"}");
            });
            boolean drained = progress.await(profile.drainSeconds());
            long undeliveredAtDrain = total - completeUpdates.sum();
            result.put("cpu", cpu.close(completeUpdates.sum()));
            long dropped = Sockets.dropped(sockets);
            long storedMismatch = checkStored(wire, tokens, total);
            // A run that did not drain in time gets as long again, still listening, so late (the
            // server was still working off its backlog) is told apart from never delivered.
            if (!drained) {
                progress.await(profile.drainSeconds());
            }
            long undeliveredAtEnd = total - completeUpdates.sum();
            Sockets.closeAll(sockets);

            long complete = completeUpdates.sum();
            result.put("users", users.size());
            result.put("friends_each", profile.friends());
            loop.putSends(result);
            loop.putRates(result, profile.presenceRate(), complete, lastComplete.get());
            result.put("latency", toFriends.summary());
            result.put("latency_to_self", toSelf.summary());
            result.put("warmup_s", profile.warmupSeconds());
            result.put("latency_warmup", toFriends.warmupSummary());
            result.put("delivered_complete", complete);
            result.put("deliveries", progress.accounted());
            result.put("deliveries_expected", expected);
            result.put("duplicates", duplicates.sum());
            result.put("misdelivered", misdelivered.sum());
            result.put("presence_timeouts_seen", timeouts.sum());
            result.put("online_notices_seen", onlineNotices.sum());
            result.put("stored_page_mismatches", storedMismatch);
            result.put("sockets_dropped", dropped);
            result.put("lost", duplicates.sum() + misdelivered.sum() + (drained ? Math.max(0, storedMismatch) : 0));
            result.put("undelivered_after_drain", undeliveredAtDrain);
            result.put("undelivered_after_twice_the_drain", undeliveredAtEnd);
            result.put("drain_s", profile.drainSeconds());
            result.put("errors", errors.total());
            result.put("errors_by_kind", errors.byKind());
            result.put("complete", drained && storedMismatch >= 0);
        }
        return result;
    }

    /**
     * Asks each user's own current page over REST and compares it with the last update that user
     * sent; returns the number that differ, or -1 when the read-back itself failed.
     */
    private long checkStored(Wire wire, Map<String, String> tokens, int total) {
        LongAdder mismatches = new LongAdder();
        List<Integer> indexes = new ArrayList<>();
        for (int u = 0; u < Math.min(users.size(), total); u++) {
            indexes.add(u);
        }
        try {
            Wire.forEachBounded(indexes, 16, u -> {
                String user = users.get(u);
                long last = u + (long) ((total - 1 - u) / users.size()) * users.size();
                return wire.getPatiently("/presence/" + user, tokens.get(user)).thenAccept(response -> {
                    JsonNode page = Wire.parse(Wire.expect(response, 200, "GET /presence/{userId}"));
                    if (page.isNull() || !url(last).equals(page.path("url").asText())
                            || !("t" + last).equals(page.path("title").asText())) {
                        mismatches.increment();
                    }
                });
            });
            return mismatches.sum();
        } catch (RuntimeException e) {
            System.err.println("presence read-back failed: " + e.getMessage());
            return -1;
        }
    }
}
