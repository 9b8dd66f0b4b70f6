package io.pagenow.lambda;

import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import io.pagenow.db.Migrations;
import io.pagenow.db.testing.TestSchema;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Measures cold starts: for each scenario, launches fresh JVMs ({@code java -cp
 * target/pagenow-lambda.jar ...} with the template's {@code JAVA_TOOL_OPTIONS}) running
 * {@link ColdStartProbe} against real PostgreSQL and Redis, a loopback JWKS and the Management API
 * stub, and reports the median of each figure. Writes {@code target/cold-start.md}.
 *
 * <p>Run: {@code mvn -B -pl adapter-lambda -am -Pcold-start verify -DskipTests} (runs per
 * scenario: {@code -Dcold.runs=7}; one scenario: {@code -Dcold.only=sweep}; options for the probe's
 * JVM: {@code -Dcold.jvmArgs=...}).
 */
public final class ColdStart {

    private static final Pattern FIGURES = Pattern.compile(
            "COLD-START init=(\\d+) first=(\\d+) total=(\\d+) jvm=(\\d+) warm=(\\d+) deserialize=(\\d+)"
                    + " cpu=(-?\\d+) status=(\\S+) warmStatus=(\\S+)");
    private static final String JAVA_TOOL_OPTIONS = "-XX:+TieredCompilation -XX:TieredStopAtLevel=1";

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
        Path work = Files.createDirectories(target.resolve("cold-start"));
        String classpath = String.join(File.pathSeparator, jar.toAbsolutePath().toString(),
                target.resolve("test-classes").toAbsolutePath().toString(),
                Path.of(LambdaEventSerializers.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                        .toString());

        LambdaWorld.requireRedis();
        String prefix = "pagenow-test:cold-start:" + UUID.randomUUID() + ":";
        try (TestSchema schema = TestSchema.create("cold_start");
             LoopbackIssuer issuer = new LoopbackIssuer(Clock.systemUTC());
             ManagementApiStub managementApi = new ManagementApiStub()) {
            Migrations.apply(schema.dataSource());
            LambdaWorld.seedUsers(schema);
            Map<String, String> env = LambdaWorld.environment(schema, prefix, issuer, managementApi);
            env.put("JAVA_TOOL_OPTIONS", JAVA_TOOL_OPTIONS);
            // Lambda hands the function role's credentials over in these variables.
            env.put("AWS_ACCESS_KEY_ID", "AKIDCOLDSTART");
            env.put("AWS_SECRET_ACCESS_KEY", "cold-start-secret");
            env.put("AWS_SESSION_TOKEN", "cold-start-session");

            // What the first events find: bob online on both sockets, a conversation of alice and bob.
            String aliceChat = LambdaWorld.connectionId();
            String carolPresence = LambdaWorld.connectionId();
            String conversation;
            try (LambdaContainer container = LambdaContainer.fromEnvironment(env, Clock.systemUTC(),
                    StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDCOLDSTART", "secret")))) {
                new PresenceWebSocketHandler(container).handleRequest(
                        Events.connect(LambdaWorld.connectionId(), issuer.token("bob")), null);
                new PresenceWebSocketHandler(container).handleRequest(
                        Events.connect(carolPresence, issuer.token("carol")), null);
                ChatWebSocketHandler chat = new ChatWebSocketHandler(container);
                chat.handleRequest(Events.connect(LambdaWorld.connectionId(), issuer.token("bob")), null);
                chat.handleRequest(Events.connect(aliceChat, issuer.token("alice")), null);
                conversation = LambdaWorld.json(new RestHandler(container).handleRequest(Events.rest("POST",
                        "/conversation").token(issuer.token("alice")).body("{\"recipientIdArr\": [\"bob\"],"
                        + " \"isGroup\": false}").event(), null).getBody()).path("conversationId").asText();
            }

            Map<String, Scenario> scenarios = new LinkedHashMap<>();
            scenarios.put("REST `GET /conversations`", new Scenario(RestHandler.class,
                    run -> Events.rest("GET", "/conversations").token(issuer.token("alice")).json(),
                    run -> Events.rest("GET", "/conversations").token(issuer.token("alice")).json()));
            scenarios.put("chat `$connect`", new Scenario(ChatWebSocketHandler.class,
                    run -> Events.connectJson(LambdaWorld.connectionId(), issuer.token("carol")),
                    run -> Events.connectJson(LambdaWorld.connectionId(), issuer.token("carol"))));
            // alice comes online: bob, online, is told through the Management API.
            scenarios.put("presence `$connect` (pushes to a friend)", new Scenario(PresenceWebSocketHandler.class,
                    run -> Events.connectJson("alice-" + run + "=", issuer.token("alice")),
                    run -> Events.connectJson(LambdaWorld.connectionId(), issuer.token("dave")),
                    "\"type\":\"update-presence\",\"userId\":\"alice\""));
            scenarios.put("chat `send-message` (stores, pushes to 2)", new Scenario(ChatWebSocketHandler.class,
                    run -> Events.messageJson(aliceChat, "send-message", "{\"action\": \"send-message\","
                            + " \"tempMessageId\": \"cold-" + run + "\", \"conversationId\": \"" + conversation
                            + "\", \"content\": \"cold start " + run + "\"}"),
                    run -> Events.messageJson(aliceChat, "send-message", "{\"action\": \"send-message\","
                            + " \"tempMessageId\": \"warm-" + run + "\", \"conversationId\": \"" + conversation
                            + "\", \"content\": \"warm " + run + "\"}"),
                    "\"type\":\"new-message\""));
            scenarios.put("presence `update-presence` (domain by the PSL, pushes to 2)",
                    new Scenario(PresenceWebSocketHandler.class,
                    run -> Events.messageJson(carolPresence, "update-presence", "{\"action\": \"update-presence\","
                            + " \"url\": \"https://news.bbc.co.uk/" + run + "\", \"title\": \"News\"}"),
                    run -> Events.messageJson(carolPresence, "update-presence", "{\"action\": \"update-presence\","
                            + " \"url\": \"https://alice.github.io/" + run + "\", \"title\": \"Blog\"}"),
                    "\"domain\":\"bbc.co.uk\""));
            scenarios.put("scheduled sweep", new Scenario(PresenceSweepHandler.class,
                    run -> Events.scheduledJson(), run -> Events.scheduledJson()));

            StringBuilder report = new StringBuilder();
            report.append("| first event | handler load + init (ms) | first event (ms) | **class load -> first"
                    + " answer (ms)** | JVM start -> first answer (ms) | second event, warm (ms) | runtime's event"
                    + " deserialization, not counted (ms) | CPU until the answer, all threads (ms) |\n");
            report.append("|---|---|---|---|---|---|---|---|\n");
            for (Map.Entry<String, Scenario> scenario : scenarios.entrySet()) {
                if (!scenario.getKey().contains(only)) {
                    continue;
                }
                List<long[]> figures = new ArrayList<>();
                for (int run = 0; run < runs; run++) {
                    Path first = work.resolve("first.json");
                    Path second = work.resolve("second.json");
                    Files.writeString(first, scenario.getValue().first().event(run), StandardCharsets.UTF_8);
                    Files.writeString(second, scenario.getValue().second().event(run), StandardCharsets.UTF_8);
                    managementApi.drain();
                    figures.add(probe(classpath, env, scenario.getValue().handler(), first, second));
                    String pushed = scenario.getValue().pushed();
                    if (pushed != null && managementApi.drain().stream().noneMatch(p -> p.body().contains(pushed))) {
                        throw new IllegalStateException(scenario.getKey() + ": no push with " + pushed);
                    }
                    disconnectAlice(env, issuer, run);
                }
                report.append("| ").append(scenario.getKey());
                for (int i = 0; i < 7; i++) {
                    report.append(" | ").append(median(figures, i));
                }
                report.append(" |\n");
            }
            double load = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
            String header = "Cold start, median of " + runs + " fresh JVMs per row (`java -cp target/pagenow-lambda.jar`,"
                    + " JAVA_TOOL_OPTIONS=\"" + JAVA_TOOL_OPTIONS + "\", " + Runtime.getRuntime().availableProcessors()
                    + " cores, load average " + String.format("%.1f", load) + " at the end, Java "
                    + System.getProperty("java.version") + "), against PostgreSQL and Redis on loopback; shaded jar "
                    + Files.size(jar) / 1024 + " KiB.\n\n";
            Files.writeString(target.resolve("cold-start.md"), header + report, StandardCharsets.UTF_8);
            System.out.println(header + report);
        } finally {
            LambdaWorld.deleteKeysUnder(prefix);
        }
    }

    /** Closes alice's presence socket of that run, so the next run's $connect finds her offline again. */
    private static void disconnectAlice(Map<String, String> env, LoopbackIssuer issuer, int run) {
        try (LambdaContainer container = LambdaContainer.fromEnvironment(env, Clock.systemUTC(),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDCOLDSTART", "secret")))) {
            new PresenceWebSocketHandler(container).handleRequest(Events.disconnect("alice-" + run + "="), null);
        }
    }

    private static long[] probe(String classpath, Map<String, String> env, Class<?> handler, Path first, Path second)
            throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // Extra options for a look inside (-Dcold.jvmArgs="-Xlog:class+load:file=/tmp/classes.txt").
        String extra = System.getProperty("cold.jvmArgs", "").strip();
        if (!extra.isEmpty()) {
            command.addAll(List.of(extra.split("\\s+")));
        }
        command.addAll(List.of("-cp", classpath, ColdStartProbe.class.getName(), handler.getName(), first.toString(),
                second.toString()));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().clear();
        builder.environment().putAll(env);
        builder.redirectErrorStream(true);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("probe failed:\n" + output);
        }
        Matcher m = FIGURES.matcher(output);
        if (!m.find()) {
            throw new IllegalStateException("probe printed no figures:\n" + output);
        }
        if (!m.group(8).matches("2\\d\\d|swept:\\d+") || !m.group(9).matches("2\\d\\d|swept:\\d+")) {
            throw new IllegalStateException("probe's events failed:\n" + output);
        }
        return new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3)),
                Long.parseLong(m.group(4)), Long.parseLong(m.group(5)), Long.parseLong(m.group(6)),
                Long.parseLong(m.group(7))};
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
