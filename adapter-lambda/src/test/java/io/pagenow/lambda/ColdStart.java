package io.pagenow.lambda;

import io.pagenow.db.Migrations;
import io.pagenow.db.testing.TestSchema;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Measures cold starts as Lambda has them without SnapStart: for each scenario, fresh JVMs running
 * the shipped jar under the AWS Lambda Runtime Interface Client ({@link RuntimeClientFunction},
 * the template's handler and {@code JAVA_TOOL_OPTIONS}), against real PostgreSQL and Redis, a
 * loopback JWKS and the Management API stub; the first event is queued at the Runtime API before
 * the JVM starts, as on a cold invocation. Reports the median of each figure and writes
 * {@code target/cold-start.md}.
 *
 * <p>Run: {@code mvn -B -pl adapter-lambda -am -Pcold-start verify -DskipTests -DskipITs} (runs per
 * scenario: {@code -Dcold.runs=7}; one scenario: {@code -Dcold.only=sweep}; options for the
 * function's JVM: {@code -Dcold.jvmArgs=...}, added to the template's).
 */
public final class ColdStart {


    private ColdStart() {
    }

    public static void main(String[] args) throws Exception {
        int runs = Integer.getInteger("cold.runs", 7);
        String only = System.getProperty("cold.only", "");
        // exec:java runs in Maven's own JVM, whose working directory is wherever mvn was started.
        Path target = Path.of(ColdStart.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getParent();
        Path jar = target.resolve("pagenow-lambda.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: run the package phase first");
        }
        Path task = RuntimeClientFunction.unpack(jar, target.resolve("cold-start/task").toAbsolutePath());
        Path logs = target.resolve("cold-start/logs");
        String templateOptions = String.valueOf(SamTemplate.map(SamTemplate.map(SamTemplate.map(SamTemplate.map(
                SamTemplate.read(target.getParent().resolve("template.yaml")).root(), "Globals"), "Function"),
                "Environment"), "Variables").get("JAVA_TOOL_OPTIONS"));
        String jvmOptions = (templateOptions + " " + System.getProperty("cold.jvmArgs", "")).strip();
        Map<String, String> handlers = new LinkedHashMap<>();
        SamTemplate.read(target.getParent().resolve("template.yaml")).resources("AWS::Serverless::Function")
                .forEach((id, resource) -> handlers.put(
                        String.valueOf(SamTemplate.map(resource, "Properties").get("Handler")).split("::")[0], id));

        LambdaWorld.requireRedis();
        String prefix = "pagenow-test:cold-start:" + UUID.randomUUID() + ":";
        try (TestSchema schema = TestSchema.create("cold_start");
             LoopbackIssuer issuer = new LoopbackIssuer(Clock.systemUTC());
             ManagementApiStub managementApi = new ManagementApiStub()) {
            Migrations.apply(schema.dataSource());
            LambdaWorld.seedUsers(schema);
            Map<String, String> env = LambdaWorld.environment(schema, prefix, issuer, managementApi);
            env.put("JAVA_TOOL_OPTIONS", jvmOptions);

            // What the first events find: bob online on both sockets, a conversation of alice and bob.
            String aliceChat = LambdaWorld.connectionId();
            String carolPresence = LambdaWorld.connectionId();
            String conversation;
            try (LambdaContainer container = LambdaContainer.fromEnvironment(env, Clock.systemUTC(),
                    ManagementApiStub.CREDENTIALS)) {
                Invocation<?> presence = Invocation.webSocket(new PresenceWebSocketHandler(container));
                presence.handleRequest(Events.connect(LambdaWorld.connectionId(), issuer.token("bob")), null);
                presence.handleRequest(Events.connect(carolPresence, issuer.token("carol")), null);
                Invocation<?> chat = Invocation.webSocket(new ChatWebSocketHandler(container));
                chat.handleRequest(Events.connect(LambdaWorld.connectionId(), issuer.token("bob")), null);
                chat.handleRequest(Events.connect(aliceChat, issuer.token("alice")), null);
                conversation = LambdaWorld.json(Invocation.rest(new RestHandler(container)).handleRequest(Events.rest("POST",
                        "/conversation").token(issuer.token("alice")).body("{\"recipientIdArr\": [\"bob\"],"
                        + " \"isGroup\": false}").json(), null).getBody()).path("conversationId").asText();
            }

            Map<String, Scenario> scenarios = new LinkedHashMap<>();
            scenarios.put("REST `GET /conversations`", new Scenario(RestHandler.class,
                    run -> Events.rest("GET", "/conversations").token(issuer.token("alice")).json(),
                    run -> Events.rest("GET", "/conversations").token(issuer.token("alice")).json()));
            scenarios.put("chat `$connect`", new Scenario(ChatWebSocketHandler.class,
                    run -> Events.connect(LambdaWorld.connectionId(), issuer.token("carol")),
                    run -> Events.connect(LambdaWorld.connectionId(), issuer.token("carol"))));
            // alice comes online: bob, online, is told through the Management API.
            scenarios.put("presence `$connect` (pushes to a friend)", new Scenario(PresenceWebSocketHandler.class,
                    run -> Events.connect("alice-" + run + "=", issuer.token("alice")),
                    run -> Events.connect(LambdaWorld.connectionId(), issuer.token("dave")),
                    "\"type\":\"update-presence\",\"userId\":\"alice\""));
            scenarios.put("chat `send-message` (stores, pushes to 2)", new Scenario(ChatWebSocketHandler.class,
                    run -> Events.message(aliceChat, "send-message", "{\"action\": \"send-message\","
                            + " \"tempMessageId\": \"cold-" + run + "\", \"conversationId\": \"" + conversation
                            + "\", \"content\": \"cold start " + run + "\"}"),
                    run -> Events.message(aliceChat, "send-message", "{\"action\": \"send-message\","
                            + " \"tempMessageId\": \"warm-" + run + "\", \"conversationId\": \"" + conversation
                            + "\", \"content\": \"warm " + run + "\"}"),
                    "\"type\":\"new-message\""));
            scenarios.put("presence `update-presence` (domain by the PSL, pushes to 2)",
                    new Scenario(PresenceWebSocketHandler.class,
                    run -> Events.message(carolPresence, "update-presence", "{\"action\": \"update-presence\","
                            + " \"url\": \"https://news.bbc.co.uk/" + run + "\", \"title\": \"News\"}"),
                    run -> Events.message(carolPresence, "update-presence", "{\"action\": \"update-presence\","
                            + " \"url\": \"https://alice.github.io/" + run + "\", \"title\": \"Blog\"}"),
                    "\"domain\":\"bbc.co.uk\""));
            scenarios.put("scheduled sweep", new Scenario(PresenceSweepHandler.class,
                    run -> Events.scheduled(), run -> Events.scheduled()));

            StringBuilder report = new StringBuilder();
            report.append("| first event | **JVM start -> first answer (ms)** | JVM start -> init done (ms)"
                    + " | second event, warm (ms) |\n");
            report.append("|---|---|---|---|\n");
            for (Map.Entry<String, Scenario> scenario : scenarios.entrySet()) {
                if (!scenario.getKey().contains(only)) {
                    continue;
                }
                String function = handlers.get(scenario.getValue().handler().getName());
                String handler = scenario.getValue().handler().getName() + "::handleRequest";
                List<long[]> figures = new ArrayList<>();
                for (int run = 0; run < runs; run++) {
                    managementApi.drain();
                    try (RuntimeClientFunction cold = RuntimeClientFunction.start(function, task, handler, env, logs)) {
                        RuntimeApiEmulator.Outcome first = cold.invoke(scenario.getValue().first().event(run),
                                Duration.ofSeconds(60));
                        long init = cold.runtimeApi.firstNext.get();
                        long warmStarted = System.nanoTime();
                        RuntimeApiEmulator.Outcome second = cold.invoke(scenario.getValue().second().event(run),
                                Duration.ofSeconds(60));
                        for (RuntimeApiEmulator.Outcome outcome : List.of(first, second)) {
                            if (outcome.error() || !outcome.body().matches("(?s).*\"statusCode\":2\\d\\d.*|\\d+")) {
                                throw new IllegalStateException(scenario.getKey() + " failed: " + outcome.body()
                                        + "\n" + cold.output());
                            }
                        }
                        figures.add(new long[] {millis(first.answeredNanos() - cold.startedNanos),
                                millis(init - cold.startedNanos), millis(second.answeredNanos() - warmStarted)});
                    }
                    String pushed = scenario.getValue().pushed();
                    if (pushed != null && managementApi.drain().stream().noneMatch(p -> p.body().contains(pushed))) {
                        throw new IllegalStateException(scenario.getKey() + ": no push with " + pushed);
                    }
                    disconnectAlice(env, issuer, run);
                }
                report.append("| ").append(scenario.getKey());
                for (int i = 0; i < 3; i++) {
                    report.append(" | ").append(median(figures, i));
                }
                report.append(" |\n");
                System.out.println(scenario.getKey() + ": " + figures.stream().map(f -> Long.toString(f[0]))
                        .collect(java.util.stream.Collectors.joining(", ")) + " ms to the first answer");
            }
            double load = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
            String header = "Cold start without SnapStart, median of " + runs + " fresh JVMs per row (the shipped jar"
                    + " under aws-lambda-java-runtime-interface-client, JAVA_TOOL_OPTIONS=\"" + jvmOptions + "\", "
                    + Runtime.getRuntime().availableProcessors() + " cores, load average " + String.format("%.1f", load)
                    + " at the end, Java " + System.getProperty("java.version") + "), against PostgreSQL and Redis on"
                    + " loopback; shaded jar " + Files.size(jar) / 1024 + " KiB.\n\n";
            Files.writeString(target.resolve("cold-start.md"), header + report, StandardCharsets.UTF_8);
            System.out.println(header + report);
        } finally {
            LambdaWorld.deleteKeysUnder(prefix);
        }
    }

    private static long millis(long nanos) {
        return nanos / 1_000_000;
    }

    /** Closes alice's presence socket of that run, so the next run's $connect finds her offline again. */
    private static void disconnectAlice(Map<String, String> env, LoopbackIssuer issuer, int run) {
        try (LambdaContainer container = LambdaContainer.fromEnvironment(env, Clock.systemUTC(),
                ManagementApiStub.CREDENTIALS)) {
            Invocation.webSocket(new PresenceWebSocketHandler(container))
                    .handleRequest(Events.disconnect("alice-" + run + "="), null);
        }
    }

    private static long median(List<long[]> figures, int index) {
        List<Long> values = new ArrayList<>();
        figures.forEach(f -> values.add(f[index]));
        Collections.sort(values);
        return values.get(values.size() / 2);
    }

    @FunctionalInterface
    private interface EventJson {
        String event(int run);
    }

    /**
     * @param pushed a text every run's first event must have made the Management API receive, or
     *               null: proves the shaded jar did the whole work, not just answered
     */
    private record Scenario(Class<?> handler, EventJson first, EventJson second, String pushed) {
        Scenario(Class<?> handler, EventJson first, EventJson second) {
            this(handler, first, second, null);
        }
    }
}
