package io.pagenow.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.LongAccumulator;

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
    private final RestHistory history;

    RestScenario(Profile profile) {
        this.profile = profile;
        this.history = new RestHistory(profile);
    }

    @Override
    public String name() {
        return "rest";
    }

    @Override
    public Population population() {
        return history.population();
    }

    @Override
    public Map<String, Object> run(Target target) throws Exception {
        Map<String, Object> result = new LinkedHashMap<>();
        Errors errors = new Errors();
        try (Wire wire = target.wire(2, 3)) {
            List<String> users = history.users();
            ConversationPlan plan = history.plan();
            Map<String, String> tokens = wire.tokens(users, 16);
            long populateStart = System.nanoTime();
            String[] ids = new String[plan.size()];
            String how = RestDataset.insert(history, target, ids) ? "sql"
                    : RestHistoryOverWire.load(history, wire, tokens, ids, target.tag(), errors, profile.populateRate());
            result.put("dataset", Map.of("users", users.size(), "conversations", plan.size(),
                    "messages", history.messages(), "loaded_by", how,
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
                    expected = history.expectedListing(user);
                    path = "/conversations";
                    token = tokens.get(user);
                    latency = listing;
                    what = "GET /conversations";
                } else {
                    int c = random.nextInt(plan.size());
                    List<String> members = plan.members(c);
                    int n = Math.max(1, history.messagesIn(c));
                    int offset = random.nextInt(n);
                    expected = Math.min(PAGE, history.messagesIn(c) - offset);
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
                result.put("capacity", capacity(target, wire, tokens, errors).figures());
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
    private ClosedLoop.Outcome capacity(Target target, Wire wire, Map<String, String> tokens, Errors errors)
            throws InterruptedException {
        ClosedLoop step = new ClosedLoop(CONNECTIONS);
        SplittableRandom random = new SplittableRandom(11);
        List<String> users = history.users();
        return step.run(profile.chatCapacitySeconds(), Long.MAX_VALUE, profile.drainSeconds(), target.cpuWindow(),
                (k, issued) -> {
                    String user = users.get(random.nextInt(users.size()));
                    int expected = history.expectedListing(user);
                    wire.get("/conversations", tokens.get(user)).whenComplete((response, e) -> {
                        long now = System.nanoTime();
                        if (e != null) {
                            Throwable cause = e.getCause() == null ? e : e.getCause();
                            errors.add("failed GET /conversations: " + cause.getClass().getSimpleName());
                            step.failed();
                        } else if (response.statusCode() != 200) {
                            errors.add(response.statusCode() + " GET /conversations");
                            step.failed();
                        } else if (Wire.parse(response.body()).size() != expected) {
                            errors.add("wrong row count GET /conversations");
                            step.failed();
                        } else {
                            step.record(k, issued, now);
                            step.completed(now);
                        }
                    });
                });
    }
}
