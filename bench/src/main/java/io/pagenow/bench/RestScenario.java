package io.pagenow.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/**
 * REST: a generated history (U users, C conversations, 70% direct and 30% groups of 3 to 5,
 * M messages spread evenly over them), then {@code GET /conversations} for random users and
 * {@code GET /conversations/{id}/messages?limit=20&offset=k} at random offsets, alternating, at
 * a fixed total rate. Every answer is checked: the listing holds one row per conversation of
 * the user, the page holds as many messages as the conversation has past that offset. The client
 * holds at most {@link #CONNECTIONS} requests in flight; the others wait, their wait counted.
 */
final class RestScenario implements Scenario {

    static final int PAGE = 20;
    /** Requests in flight at most: the load generator's HTTP connections. */
    static final int CONNECTIONS = 64;

    private final Profile profile;
    private final List<String> users;
    private final List<List<String>> conversations = new ArrayList<>();
    private final int[] messagesIn;
    private final Map<String, Integer> conversationsOf = new HashMap<>();

    RestScenario(Profile profile) {
        this.profile = profile;
        this.users = Population.userIds("rest-", profile.restUsers());
        Random random = new Random(42);
        Set<String> pairs = new HashSet<>();
        int u = users.size();
        while (conversations.size() < profile.restConversations()) {
            int c = conversations.size();
            List<String> members = new ArrayList<>();
            if (c % 10 < 7) {
                int a = random.nextInt(u);
                int b = random.nextInt(u);
                if (a == b || !pairs.add(Math.min(a, b) + ":" + Math.max(a, b))) {
                    continue;
                }
                members.add(users.get(a));
                members.add(users.get(b));
            } else {
                int size = Math.min(3 + random.nextInt(3), u);
                List<Integer> chosen = new ArrayList<>();
                while (chosen.size() < size) {
                    int x = random.nextInt(u);
                    if (!chosen.contains(x)) {
                        chosen.add(x);
                    }
                }
                chosen.forEach(x -> members.add(users.get(x)));
            }
            conversations.add(List.copyOf(members));
        }
        this.messagesIn = new int[conversations.size()];
        for (long j = 0; j < profile.restMessages(); j++) {
            messagesIn[conversationOf(j)]++;
        }
        for (int c = 0; c < conversations.size(); c++) {
            if (messagesIn[c] > 0) {
                conversations.get(c).forEach(m -> conversationsOf.merge(m, 1, Integer::sum));
            }
        }
    }

    int conversationOf(long j) {
        return (int) (j % conversations.size());
    }

    String senderOf(long j) {
        List<String> members = conversations.get(conversationOf(j));
        return members.get((int) ((j / conversations.size()) % members.size()));
    }

    List<List<String>> conversations() {
        return conversations;
    }

    int expectedListing(String user) {
        return conversationsOf.getOrDefault(user, 0);
    }

    @Override
    public String name() {
        return "rest";
    }

    @Override
    public Population population() {
        return Population.of(users);
    }

    @Override
    public Map<String, Object> run(Target target) throws Exception {
        Map<String, Object> result = new LinkedHashMap<>();
        Errors errors = new Errors();
        try (Wire wire = target.wire(2, 3)) {
            Map<String, String> tokens = wire.tokens(users, 16);
            long populateStart = System.nanoTime();
            String[] ids = new String[conversations.size()];
            String how = RestDataset.insert(this, target, ids) ? "sql" : populateOverWire(wire, tokens, ids, target.tag(), errors);
            result.put("dataset", Map.of("users", users.size(), "conversations", conversations.size(),
                    "messages", profile.restMessages(), "loaded_by", how,
                    "load_seconds", Figures.round((System.nanoTime() - populateStart) / 1e9)));

            int warmup = profile.restRate() * profile.warmupSeconds();
            int total = warmup + profile.restRate() * profile.restSeconds();
            Latency listing = new Latency(warmup);
            Latency paging = new Latency(warmup);
            Progress answered = new Progress(total);
            LongAccumulator lastAnswer = new LongAccumulator(Math::max, Long.MIN_VALUE);
            SplittableRandom random = new SplittableRandom(7);
            result.put("settle_s", ProcStats.settle(target.server().pid()));
            CpuWindow cpu = target.cpuWindow();
            BoundedCalls client = new BoundedCalls(CONNECTIONS);
            OpenLoop.Outcome loop = OpenLoop.run(total, profile.restRate(), (i, due) -> {
                Latency latency;
                int expected;
                String what;
                String path;
                String token;
                if (i % 2 == 0) {
                    String user = users.get(random.nextInt(users.size()));
                    expected = expectedListing(user);
                    path = "/conversations";
                    token = tokens.get(user);
                    latency = listing;
                    what = "GET /conversations";
                } else {
                    int c = random.nextInt(conversations.size());
                    List<String> members = conversations.get(c);
                    int n = Math.max(1, messagesIn[c]);
                    int offset = random.nextInt(n);
                    expected = Math.min(PAGE, messagesIn[c] - offset);
                    path = "/conversations/" + ids[c] + "/messages?limit=" + PAGE + "&offset=" + offset;
                    token = tokens.get(members.get(random.nextInt(members.size())));
                    latency = paging;
                    what = "GET /conversations/{id}/messages";
                }
                client.submit(() -> wire.get(path, token).whenComplete((response, e) -> {
                    long now = System.nanoTime();
                    if (e != null) {
                        Throwable cause = e.getCause() == null ? e : e.getCause();
                        errors.add("failed " + what + ": " + cause.getClass().getSimpleName());
                    } else {
                        latency.record(i, due, now);
                        lastAnswer.accumulate(now);
                        if (response.statusCode() != 200) {
                            errors.add(response.statusCode() + " " + what);
                        } else if (Wire.parse(response.body()).size() != expected) {
                            errors.add("wrong row count " + what);
                        }
                    }
                    answered.add(1);
                }));
            });
            boolean drained = answered.await(profile.drainSeconds());
            result.put("cpu", cpu.close(answered.accounted()));
            if (drained && profile.chatCapacitySeconds() > 0) {
                result.put("capacity", capacity(target, wire, tokens, errors));
            }
            result.put("rate_target", profile.restRate());
            result.put("sent", total);
            result.put("rate_achieved", Figures.round(answered.accounted() / ((lastAnswer.get() - loop.startNanos()) / 1e9)));
            result.put("send_lag_max_ms", Figures.round(loop.maxLagNanos() / 1e6));
            result.put("client_connections", CONNECTIONS);
            result.put("latency", listing.summary());
            result.put("latency_messages_page", paging.summary());
            result.put("warmup_s", profile.warmupSeconds());
            result.put("latency_warmup", listing.warmupSummary());
            result.put("lost", total - answered.accounted());
            result.put("errors", errors.total());
            result.put("errors_by_kind", errors.byKind());
            result.put("complete", drained);
        }
        return result;
    }

    /**
     * The most {@code GET /conversations} answers a second: a closed loop keeping
     * {@link #CONNECTIONS} requests in flight for as long as chat's capacity step, the next sent
     * as soon as one is answered (issue 17's "capacity >= 3,000/s"). Its latency is closed-loop,
     * reported only beside it; its answers are checked like the rest.
     */
    private Map<String, Object> capacity(Target target, Wire wire, Map<String, String> tokens, Errors errors)
            throws InterruptedException {
        Latency latency = new Latency(0);
        LongAdder completed = new LongAdder();
        LongAccumulator last = new LongAccumulator(Math::max, Long.MIN_VALUE);
        java.util.concurrent.Semaphore inFlight = new java.util.concurrent.Semaphore(CONNECTIONS);
        SplittableRandom random = new SplittableRandom(11);
        CpuWindow cpu = target.cpuWindow();
        long start = System.nanoTime();
        long end = start + profile.chatCapacitySeconds() * 1_000_000_000L;
        long sent = 0;
        boolean stalled = false;
        while (System.nanoTime() < end) {
            if (!inFlight.tryAcquire(profile.drainSeconds(), TimeUnit.SECONDS)) {
                stalled = true;
                break;
            }
            String user = users.get(random.nextInt(users.size()));
            int expected = expectedListing(user);
            long i = sent++;
            long issued = System.nanoTime();
            wire.get("/conversations", tokens.get(user)).whenComplete((response, e) -> {
                long now = System.nanoTime();
                if (e != null) {
                    Throwable cause = e.getCause() == null ? e : e.getCause();
                    errors.add("failed GET /conversations: " + cause.getClass().getSimpleName());
                } else if (response.statusCode() != 200) {
                    errors.add(response.statusCode() + " GET /conversations");
                } else if (Wire.parse(response.body()).size() != expected) {
                    errors.add("wrong row count GET /conversations");
                } else {
                    latency.record(i, issued, now);
                    completed.increment();
                    last.accumulate(now);
                }
                inFlight.release();
            });
        }
        boolean drained = !stalled && inFlight.tryAcquire(CONNECTIONS, profile.drainSeconds(), TimeUnit.SECONDS);
        long done = completed.sum();
        Map<String, Object> capacity = new LinkedHashMap<>();
        capacity.put("window", CONNECTIONS);
        capacity.put("seconds", profile.chatCapacitySeconds());
        capacity.put("sent", sent);
        capacity.put("rate", done == 0 ? 0.0 : Figures.round(done / ((last.get() - start) / 1e9)));
        capacity.put("latency", latency.summary());
        capacity.put("cpu", cpu.close(done));
        capacity.put("complete", drained);
        return capacity;
    }

    /**
     * Builds the history through the protocol itself: the conversations over REST, the messages
     * as {@code send-message} frames paced below the flood limit, each acknowledged by the
     * sender's own {@code new-message}. A 429 is sent again a little later.
     */
    private String populateOverWire(Wire wire, Map<String, String> tokens, String[] ids, String runTag, Errors errors) {
        List<Integer> indexes = new ArrayList<>();
        for (int c = 0; c < conversations.size(); c++) {
            indexes.add(c);
        }
        Wire.forEachBounded(indexes, 32, c -> {
            List<String> members = conversations.get(c);
            boolean group = members.size() > 2;
            String body = "{\"recipientIdArr\":" + ChatScenario.jsonArray(members.subList(1, members.size()))
                    + ",\"isGroup\":" + group + ",\"title\":\"" + (group ? "rest group " + c : "") + "\"}";
            return wire.post("/conversation", tokens.get(members.get(0)), body).thenAccept(response ->
                    ids[c] = Wire.parse(Wire.expect(response, 200, "POST /conversation")).get("conversationId").asText());
        });

        int total = profile.restMessages();
        String tag = runTag + "r";
        AtomicIntegerArray acked = new AtomicIntegerArray(total);
        LongAdder refused = new LongAdder();
        Progress progress = new Progress(total);
        Map<String, BenchSocket> socketOf = new HashMap<>();
        ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor();
        try {
            BenchSocket.Handler handler = (socket, text, now) -> {
                Frame frame = Frame.parse(text);
                String temp = frame.tempMessageId();
                if (temp == null || !temp.startsWith(tag + "-")) {
                    if ("error".equals(frame.type())) {
                        errors.errorEvent(frame);
                    }
                    return;
                }
                int j = Integer.parseInt(temp, tag.length() + 1, temp.length(), 10);
                if ("new-message".equals(frame.type()) && socket.userId.equals(frame.senderId())) {
                    if (acked.compareAndSet(j, 0, 1)) {
                        progress.add(1);
                    }
                } else if ("error".equals(frame.type())) {
                    if (frame.code() == 429) {
                        refused.increment();
                        retries.schedule(() -> socket.send(sendFrame(tag, j, ids)), 250, TimeUnit.MILLISECONDS);
                    } else {
                        errors.errorEvent(frame);
                        progress.add(1);
                    }
                }
            };
            BenchSocket[] sockets = Sockets.open(wire, users, "chat", tokens, handler, errors);
            for (BenchSocket socket : sockets) {
                socketOf.put(socket.userId, socket);
            }
            int rate = profile.populateRate();
            OpenLoop.run(total, rate, (j, due) -> socketOf.get(senderOf(j)).send(sendFrame(tag, j, ids)));
            if (!progress.await(120 + 3L * total / rate)) {
                throw new IllegalStateException("the history was not stored in time: " + progress.accounted() + " of " + total);
            }
            Sockets.closeAll(sockets);
        } finally {
            retries.shutdownNow();
        }
        return "protocol (" + refused.sum() + " sends refused with 429 and sent again)";
    }

    private String sendFrame(String tag, long j, String[] ids) {
        return "{\"action\":\"send-message\",\"tempMessageId\":\"" + tag + "-" + j + "\",\"conversationId\":\""
                + ids[conversationOf(j)] + "\",\"content\":\"#" + j + ChatScenario.PAD + "\"}";
    }

    int messagesIn(int c) {
        return messagesIn[c];
    }
}
