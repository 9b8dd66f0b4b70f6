package io.pagenow.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code bench/run peers}: our server and ejabberd side by side, driven by the same load
 * generator (ours over its own protocol, ejabberd through the XMPP mode), each scenario at the
 * same rates for both, both servers pinned to the same core and the generator to the other. Chat
 * and presence climb a ladder of rates; the figure compared is the highest rate each sustains
 * with nothing lost and p99 under 50 ms.
 */
final class PeersRun {

    static final double P99_LIMIT_MS = 50;

    private final Options options;
    private final boolean quick;
    private final List<String> launcher;
    private final Path dir;
    private final List<String> problems = new ArrayList<>();

    private PeersRun(Options options, boolean quick) {
        this.options = options;
        this.quick = quick;
        this.dir = options.results().resolve(options.stamp());
        // The same single core for either server; bench/run pins the generator to the other one.
        this.launcher = Files.isExecutable(Path.of("/usr/bin/taskset"))
                ? List.of("taskset", "-c", "0") : List.of();
    }

    static int run(Options options, boolean quick) throws IOException {
        if (!Ejabberd.installed()) {
            System.err.println("ejabberd is not installed (apt-get install -y ejabberd erlang-p1-pgsql)");
            return 2;
        }
        return new PeersRun(options, quick).run();
    }

    private List<Integer> chatRates() {
        return quick ? List.of(options.profile().chatRate()) : List.of(1_000, 2_000, 4_000);
    }

    private List<Integer> presenceRates() {
        return quick ? List.of(options.profile().presenceRate()) : List.of(750, 1_500, 3_000);
    }

    private int run() throws IOException {
        Files.createDirectories(dir);
        Profile profile = options.profile();
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("stamp", options.stamp());
        report.put("command", "bench/run peers" + (quick ? " --quick" : ""));
        report.put("pinning", launcher.isEmpty() ? "none"
                : "each server under taskset -c 0 (started on core 0 alone), the load generator under taskset -c 1; "
                + "PostgreSQL and Redis unpinned");
        report.put("machine", Machine.describe(options.pg(), new Redis(options.redisHost(), options.redisPort())));
        report.put("profile", profile.describe());

        Map<String, Object> ours = new LinkedHashMap<>();
        Map<String, Object> peer = new LinkedHashMap<>();
        boolean chats = options.scenarios().contains("chat");
        boolean presences = options.scenarios().contains("presence");
        boolean connections = options.scenarios().contains("connections");
        for (String backend : chats ? List.of(BenchRun.EMBEDDED, BenchRun.POSTGRES_REDIS) : List.<String>of()) {
            Map<String, Object> chat = new LinkedHashMap<>();
            for (int rate : chatRates()) {
                chat.put(String.valueOf(rate), ours(backend, new ChatScenario(profile.withRates(rate, profile.presenceRate()))));
            }
            ours.put(backend + "/chat", chat);
        }
        Map<String, Object> presence = new LinkedHashMap<>();
        for (int rate : presences ? presenceRates() : List.<Integer>of()) {
            presence.put(String.valueOf(rate), ours(BenchRun.EMBEDDED,
                    new PresenceScenario(profile.withRates(profile.chatRate(), rate))));
        }
        ours.put("embedded/presence", presence);
        if (connections) {
            ours.put("embedded/connections", ours(BenchRun.EMBEDDED, new ConnectionsScenario(profile)));
        }

        Psql archiveDb = new Psql(options.pg().host(), options.pg().port(), options.pg().user(), options.pg().password(),
                options.pg().database() + "_ejabberd");
        try (Ejabberd mam = !chats ? null : started("mam", archiveDb, new ChatScenario(profile).population())) {
            Map<String, Object> chat = new LinkedHashMap<>();
            for (int rate : chats ? chatRates() : List.<Integer>of()) {
                chat.put(String.valueOf(rate), peer("ejabberd-mam/chat", p -> XmppScenarios.chat(mam,
                        profile.withRates(rate, profile.presenceRate()), "x" + rate)));
            }
            peer.put("ejabberd-mam/chat", chat);
        } catch (RuntimeException e) {
            problems.add("ejabberd-mam: " + e.getMessage());
        }
        List<Population> needed = new ArrayList<>();
        if (chats) {
            needed.add(new ChatScenario(profile).population());
        }
        if (presences) {
            needed.add(new PresenceScenario(profile).population());
        }
        try (Ejabberd live = needed.isEmpty() ? null : started("no-archive", null, Population.merge(needed))) {
            Map<String, Object> chat = new LinkedHashMap<>();
            for (int rate : chats ? chatRates() : List.<Integer>of()) {
                chat.put(String.valueOf(rate), peer("ejabberd/chat", p -> XmppScenarios.chat(live,
                        profile.withRates(rate, profile.presenceRate()), "x" + rate)));
            }
            peer.put("ejabberd/chat", chat);
            Map<String, Object> xmppPresence = new LinkedHashMap<>();
            for (int rate : presences ? presenceRates() : List.<Integer>of()) {
                xmppPresence.put(String.valueOf(rate), peer("ejabberd/presence", p -> XmppPresenceScenario.run(live,
                        profile.withRates(profile.chatRate(), rate))));
            }
            peer.put("ejabberd/presence", xmppPresence);
        } catch (RuntimeException e) {
            problems.add("ejabberd: " + e.getMessage());
        }
        // A VM of its own, as ours gets a fresh server: after the chat and presence ladders the
        // Erlang VM holds (and may give back) memory of that work, and the difference per idle
        // socket measured against it was meaningless, even negative.
        try (Ejabberd idle = !connections ? null : started("idle", null, new ConnectionsScenario(profile).population())) {
            if (connections) {
                peer.put("ejabberd/connections", peer("ejabberd/connections", p -> XmppConnectionsScenario.run(idle, profile)));
            }
        } catch (RuntimeException e) {
            problems.add("ejabberd idle: " + e.getMessage());
        }
        report.put("ours", ours);
        report.put("ejabberd", peer);
        List<Map<String, Object>> comparison = PeersReport.compare(ours, peer, P99_LIMIT_MS);
        report.put("comparison", comparison);
        report.put("problems", problems);
        report.put("ok", problems.isEmpty());

        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        Path jsonFile = options.results().resolve(options.stamp() + "-peers.json");
        Path mdFile = options.results().resolve(options.stamp() + "-peers.md");
        json.writeValue(jsonFile.toFile(), report);
        String md = PeersReport.markdown(options.stamp(), report.get("pinning").toString(), comparison);
        Files.writeString(mdFile, md);
        System.out.println();
        System.out.println(md);
        BenchRun.log("results: " + jsonFile + " and " + mdFile);
        if (!problems.isEmpty()) {
            BenchRun.log("FAILED: " + String.join("; ", problems));
            return 1;
        }
        BenchRun.log("ok: both servers, nothing lost, no errors");
        return 0;
    }

    private Map<String, Object> ours(String backend, Scenario scenario) {
        List<String> ignored = new ArrayList<>(); // judged below, the same way as ejabberd's
        Map<String, Object> result = ScenarioRunner.runAlone(options, launcher, backend, scenario, ignored);
        judge("ours " + backend + "/" + scenario.name() + " at " + result.get("rate_target"), result);
        return result;
    }

    private Map<String, Object> peer(String label, Function<Void, Map<String, Object>> scenario) {
        BenchRun.log(label + ": running");
        Map<String, Object> result;
        try {
            result = scenario.apply(null);
        } catch (RuntimeException e) {
            e.printStackTrace();
            result = new LinkedHashMap<>();
            result.put("error", String.valueOf(e.getMessage()));
            result.put("complete", false);
        }
        BenchRun.log(label + ": " + Report.oneLine(result));
        judge(label + " at " + result.get("rate_target"), result);
        // As BenchRun does: the step's HTTP clients are unreachable now; collecting them closes
        // their sockets, so the next step does not run out of open files (10,000 idle sockets).
        System.gc();
        return result;
    }

    /**
     * Loss, errors and a failed scenario fail the run. A rate not drained in time does so only in
     * --quick, whose one rate both must sustain: in the full run the ladder is meant to find the
     * rate where each falls behind.
     */
    private void judge(String label, Map<String, Object> result) {
        if (result.containsKey("error")) {
            problems.add(label + ": " + result.get("error"));
        }
        if (result.get("lost") instanceof Number lost && lost.longValue() != 0) {
            problems.add(label + ": " + lost + " lost");
        }
        if (result.get("errors") instanceof Number errors && errors.longValue() != 0) {
            problems.add(label + ": " + errors + " errors " + result.get("errors_by_kind"));
        }
        if (quick && !Boolean.TRUE.equals(result.get("complete"))) {
            problems.add(label + ": did not complete");
        }
        problems.addAll(harnessFaults(label, result));
    }

    /**
     * What makes a step's figures the harness's rather than the server's: sockets the generator
     * could not open, sockets or sessions a step left to the next, a memory figure that could
     * not be measured.
     */
    static List<String> harnessFaults(String label, Map<String, Object> result) {
        List<String> faults = new ArrayList<>();
        if (result.get("generator_failed") instanceof Number n && n.longValue() != 0) {
            faults.add(label + ": harness fault: the load generator could not open " + n + " sockets");
        }
        if (result.get("sessions_left_after_kick") instanceof Number n && n.longValue() != 0) {
            faults.add(label + ": harness fault: " + n + " sessions still open on the server after the step");
        }
        if (Boolean.FALSE.equals(result.get("roster_online"))) {
            faults.add(label + ": harness fault: not every user saw every friend online within the drain time, so "
                    + "updates went out while logins were still being handled");
        }
        if (result.containsKey("rss_per_socket_bytes") && result.get("rss_per_socket_bytes") == null
                && result.get("opened") instanceof Number opened && opened.longValue() > 0) {
            faults.add(label + ": harness fault: resident memory per socket not measured (before "
                    + result.get("rss_before_bytes") + ", after " + result.get("rss_after_bytes") + " bytes)");
        }
        return faults;
    }

    private Ejabberd started(String variant, Psql archive, Population population) {
        BenchRun.log("ejabberd " + variant + ": starting and provisioning " + population.users().size() + " users");
        Ejabberd server = Ejabberd.start(variant, dir.resolve("ejabberd-" + variant), archive, launcher,
                options.pidFile());
        try {
            server.awaitReady(java.time.Duration.ofSeconds(120));
            server.api().provision(population);
            server.startArchivePool(population.users().get(0), java.time.Duration.ofSeconds(60));
            return server;
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }
}
