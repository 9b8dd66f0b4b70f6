package io.pagenow.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.pagenow.core.testing.MutableClock;
import io.pagenow.db.Migrations;
import io.pagenow.db.testing.TestSchema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static io.pagenow.lambda.LambdaWorld.connectionId;
import static io.pagenow.lambda.LambdaWorld.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What ships, run as AWS runs it: the jar the package phase made ({@code target/pagenow-lambda.jar},
 * the template's {@code CodeUri}), unpacked as a deployment package, each function in a fresh JVM of
 * its own under the real AWS Lambda Runtime Interface Client with the template's handler string,
 * fed events through a Runtime API on loopback, against real PostgreSQL and Redis, a loopback token
 * issuer and the Management API stub. A failsafe test: it needs the package phase's jar.
 */
class ShippedJarIT {

    private static final Path TARGET = Path.of("target");
    private static final Duration ANSWER = Duration.ofSeconds(60);

    private static TestSchema schema;
    private static String redisPrefix;
    private static LoopbackIssuer issuer;
    private static ManagementApiStub managementApi;
    private static Path taskRoot;
    private static Map<String, String> handlers;
    private static final Map<String, RuntimeClientFunction> functions = new LinkedHashMap<>();

    @BeforeAll
    static void start() throws Exception {
        LambdaWorld.requireRedis();
        schema = TestSchema.create("shipped_jar");
        Migrations.apply(schema.dataSource());
        LambdaWorld.seedUsers(schema);
        redisPrefix = "pagenow-test:shipped-jar:" + UUID.randomUUID() + ":";
        issuer = new LoopbackIssuer(Clock.systemUTC());
        managementApi = new ManagementApiStub();
        Path jar = TARGET.resolve("pagenow-lambda.jar");
        assertTrue(Files.isRegularFile(jar), jar + " is missing: the package phase makes it");
        taskRoot = RuntimeClientFunction.unpack(jar, TARGET.resolve("shipped-jar-it/task").toAbsolutePath());
        handlers = handlers();
        Map<String, String> env = environment();
        for (Map.Entry<String, String> function : handlers.entrySet()) {
            functions.put(function.getKey(), RuntimeClientFunction.start(function.getKey(), taskRoot,
                    function.getValue(), env, TARGET.resolve("shipped-jar-it/logs")));
        }
    }

    @AfterAll
    static void stop() {
        functions.values().forEach(RuntimeClientFunction::close);
        if (managementApi != null) {
            managementApi.close();
        }
        if (issuer != null) {
            issuer.close();
        }
        if (schema != null) {
            schema.close();
        }
        if (redisPrefix != null) {
            LambdaWorld.deleteKeysUnder(redisPrefix);
        }
    }

    /** Each function's handler string, by logical id, as the template gives it to Lambda. */
    static Map<String, String> handlers() throws Exception {
        Map<String, String> found = new LinkedHashMap<>();
        SamTemplate.read(Path.of("template.yaml")).resources("AWS::Serverless::Function").forEach((id, resource) ->
                found.put(id, String.valueOf(SamTemplate.map(resource, "Properties").get("Handler"))));
        assertEquals(Set.of("RestFunction", "ChatWebSocketFunction", "PresenceWebSocketFunction",
                "PresenceSweepFunction"), found.keySet());
        return found;
    }

    /**
     * The deployer's variables pointing at loopback, with the template's JVM options, and a
     * database password in each place one can be given (the URL's user-info, its query, its own
     * variable): the test database trusts loopback and ignores them, and no log line may show them.
     */
    static Map<String, String> environment() throws Exception {
        Map<String, String> env = new HashMap<>(LambdaWorld.environment(schema, redisPrefix, issuer, managementApi));
        String url = schema.jdbcUrl().replace("jdbc:postgresql://", "postgres://" + schema.user() + ":hunter2u@");
        env.put("DATABASE_URL", url + (url.contains("?") ? "&" : "?") + "password=hunter2q");
        env.put("DATABASE_PASSWORD", " hunter2p\n");
        Object options = SamTemplate.map(SamTemplate.map(SamTemplate.map(SamTemplate.map(
                SamTemplate.read(Path.of("template.yaml")).root(), "Globals"), "Function"), "Environment"),
                "Variables").get("JAVA_TOOL_OPTIONS");
        if (options instanceof String value) {
            env.put("JAVA_TOOL_OPTIONS", value);
        }
        return env;
    }

    private static RuntimeClientFunction rest() {
        return functions.get("RestFunction");
    }

    private static RuntimeClientFunction chat() {
        return functions.get("ChatWebSocketFunction");
    }

    private static RuntimeClientFunction presence() {
        return functions.get("PresenceWebSocketFunction");
    }

    private static RuntimeClientFunction sweep() {
        return functions.get("PresenceSweepFunction");
    }

    private static int status(String answer) {
        return json(answer).path("statusCode").asInt();
    }

    @Test
    void theExistingClientsFlowRunsOnEveryFunctionOfTheShippedJar() throws Exception {
        String aliceToken = issuer.token("alice");
        String bobToken = issuer.token("bob");
        String aliceChat = connectionId();
        String alicePresence = connectionId();
        String bobChat = connectionId();
        String bobPresence = connectionId();
        String bobStaleChat = connectionId();

        assertEquals(200, status(chat().answer(Events.connect(aliceChat, aliceToken))));
        assertEquals(200, status(presence().answer(Events.connect(alicePresence, aliceToken))));
        assertEquals(200, status(chat().answer(Events.connect(bobChat, bobToken))));
        assertEquals(200, status(chat().answer(Events.connect(bobStaleChat, bobToken))));
        assertEquals(200, status(presence().answer(Events.connect(bobPresence, bobToken))));
        List<ManagementApiStub.Post> online = managementApi.drain();
        assertTrue(online.stream().anyMatch(p -> p.connectionId().equals(alicePresence)
                && p.body().contains("\"update-presence\"") && p.body().contains("\"bob\"")),
                "alice hears bob come online: " + online);

        // A conversation over REST, with the browser's Origin answered by CORS.
        String created = rest().answer(Events.rest("POST", "/conversation").token(aliceToken)
                .header("Origin", LambdaWorld.CLIENT_ORIGIN)
                .body("{\"recipientIdArr\": [\"bob\"], \"isGroup\": false, \"title\": \"\"}").json());
        assertEquals(200, status(created), created);
        assertEquals(LambdaWorld.CLIENT_ORIGIN,
                json(created).path("headers").path("Access-Control-Allow-Origin").asText(), created);
        String conversation = json(json(created).path("body").asText()).path("conversationId").asText();
        assertFalse(conversation.isEmpty(), created);

        // bob's stale tab is gone at API Gateway: the push to it answers 410 and it is forgotten.
        managementApi.answer(bobStaleChat, ManagementApiStub.Answer.GONE_TYPED);
        chat().answer(Events.message(aliceChat, "send-message", "{\"action\": \"send-message\","
                + " \"tempMessageId\": \"tmp-1\", \"conversationId\": \"" + conversation + "\", \"content\": \"안녕, bob!\"}"));
        Map<String, JsonNode> sent = byConnection(managementApi.drain());
        assertEquals(Set.of(aliceChat, bobChat, bobStaleChat), sent.keySet(), "every chat socket of both");
        for (String to : List.of(aliceChat, bobChat)) {
            assertEquals("new-message", sent.get(to).path("type").asText());
            assertEquals("안녕, bob!", sent.get(to).path("content").asText());
            assertEquals(conversation, sent.get(to).path("conversationId").asText());
        }

        // bob reads: the receipt reaches both live sockets and no longer the one that was gone.
        chat().answer(Events.message(bobChat, "read-messages",
                "{\"action\": \"read-messages\", \"conversationId\": \"" + conversation + "\"}"));
        Map<String, JsonNode> receipts = byConnection(managementApi.drain());
        assertEquals(Set.of(aliceChat, bobChat), receipts.keySet(), "the 410'd connection was removed");
        assertEquals("read-messages", receipts.get(aliceChat).path("type").asText());
        assertEquals("bob", receipts.get(aliceChat).path("userId").asText());

        // alice browses; bob sees the page's registrable domain.
        presence().answer(Events.message(alicePresence, "update-presence", "{\"action\": \"update-presence\","
                + " \"url\": \"https://news.bbc.co.uk/sport\", \"title\": \"Sport\"}"));
        Map<String, JsonNode> browsed = byConnection(managementApi.drain());
        assertEquals("bbc.co.uk", browsed.get(bobPresence).path("domain").asText(), browsed.toString());
        String seen = rest().answer(Events.rest("GET", "/presence/{userId}").path("/presence/alice")
                .token(bobToken).json());
        assertEquals("https://news.bbc.co.uk/sport", json(json(seen).path("body").asText()).path("url").asText());

        // bob closes his presence socket: alice is told he is offline.
        assertEquals(200, status(presence().answer(Events.disconnect(bobPresence))));
        Map<String, JsonNode> left = byConnection(managementApi.drain());
        assertEquals("presence-timeout", left.get(alicePresence).path("type").asText(), left.toString());
        assertEquals("bob", left.get(alicePresence).path("userId").asText());

        // carol's last heartbeat was four minutes ago (set up through the real adapters, in this
        // JVM, with the clock back then): the scheduled sweep takes her offline and tells alice.
        MutableClock past = new MutableClock(Instant.now().minus(Duration.ofMinutes(4)));
        try (LambdaContainer earlier = LambdaContainer.fromEnvironment(environment(), past,
                ManagementApiStub.CREDENTIALS)) {
            assertEquals(200, Invocation.webSocket(new PresenceWebSocketHandler(earlier)).handleRequest(
                    Events.connect(connectionId(), issuer.token("carol")), null).getStatusCode());
        }
        managementApi.drain();
        assertEquals("1", sweep().answer(Events.scheduled()).strip());
        Map<String, JsonNode> swept = byConnection(managementApi.drain());
        assertEquals(Set.of(alicePresence), swept.keySet());
        assertEquals("presence-timeout", swept.get(alicePresence).path("type").asText());
        assertEquals("carol", swept.get(alicePresence).path("userId").asText());

        // A token the issuer never signed is refused at $connect, on both sockets.
        String forged = issuer.foreignToken("alice");
        assertEquals(401, status(chat().answer(Events.connect(connectionId(), forged))));
        assertEquals(401, status(presence().answer(Events.connect(connectionId(), forged))));
        assertTrue(managementApi.drain().isEmpty());

        for (RuntimeClientFunction function : functions.values()) {
            String output = function.output();
            assertFalse(output.contains(aliceToken) || output.contains(bobToken), function.name + " logged a token");
            assertFalse(output.contains("안녕"), function.name + " logged a message's content");
            assertFalse(output.contains("hunter2"), function.name + " logged a database password:\n" + output);
            assertTrue(output.contains("Starting with LambdaConfig["), function.name + " logged its configuration");
        }

        // JSON log lines, each answer's carrying the request id it answered.
        List<JsonNode> restLines = jsonLines(rest().output());
        assertTrue(restLines.stream().anyMatch(line -> line.path("message").asText().contains("POST /conversation -> 200")
                && line.path("level").asText().equals("INFO") && !line.path("AWSRequestId").asText().isEmpty()),
                rest().output());
        // The send's pushes counted as Embedded Metric Format: two delivered, one gone.
        List<JsonNode> metrics = jsonLines(chat().output()).stream().filter(line -> line.has("_aws")).toList();
        assertTrue(metrics.stream().anyMatch(m -> m.path("PushesDelivered").asInt() == 2
                && m.path("PushesGone").asInt() == 1 && m.path("PushesFailed").asInt() == 0
                && m.path("FunctionName").asText().equals("ChatWebSocketFunction")
                && m.path("_aws").path("CloudWatchMetrics").path(0).path("Namespace").asText().equals("PageNow")),
                metrics.toString());
    }

    @Test
    void aFunctionThatCannotStartSaysWhyThroughTheInitErrorEndpoint() throws Exception {
        Map<String, String> env = environment();
        env.remove("AUTH_ISSUER");
        env.remove("AUTH_JWKS_URL");
        try (RuntimeClientFunction broken = RuntimeClientFunction.start("BrokenRestFunction", taskRoot,
                handlers.get("RestFunction"), env, TARGET.resolve("shipped-jar-it/logs"))) {
            String report = broken.runtimeApi.initError.get(ANSWER.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
            JsonNode error = json(report);
            assertTrue(error.path("errorMessage").asText().startsWith("AUTH_ISSUER is not set: no token issuer configured"),
                    report);
            assertEquals("io.pagenow.config.ConfigurationException", error.path("errorType").asText(), report);
            assertTrue(broken.exited(ANSWER), "the runtime client exits after a failed init");
            assertFalse(broken.output().contains("hunter2"), broken.output());
            assertFalse(report.contains("hunter2"), report);
        }
    }

    /**
     * A SnapStart function (the template turns SnapStart on) gets no access-key variables: Lambda
     * serves the role's credentials from the container credentials endpoint instead. The pushes
     * must be signed with those, not fail for want of credentials.
     */
    @Test
    void withoutAccessKeyVariablesPushesAreSignedWithTheContainerCredentials() throws Exception {
        HttpServer endpoint = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        String expiry = Instant.now().plus(Duration.ofHours(1)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                .toString();
        byte[] credentials = ("{\"AccessKeyId\": \"AKIDCONTAINER\", \"SecretAccessKey\": \"container-secret\","
                + " \"Token\": \"container-session\", \"Expiration\": \"" + expiry + "\"}").getBytes(StandardCharsets.UTF_8);
        endpoint.createContext("/credentials", exchange -> {
            try (exchange) {
                boolean authorized = "container-token".equals(exchange.getRequestHeaders().getFirst("Authorization"));
                exchange.sendResponseHeaders(authorized ? 200 : 401, authorized ? credentials.length : -1);
                if (authorized) {
                    exchange.getResponseBody().write(credentials);
                }
            }
        });
        endpoint.start();
        Map<String, String> env = environment();
        env.put("AWS_ACCESS_KEY_ID", null);
        env.put("AWS_SECRET_ACCESS_KEY", null);
        env.put("AWS_SESSION_TOKEN", null);
        env.put("AWS_CONTAINER_CREDENTIALS_FULL_URI",
                "http://127.0.0.1:" + endpoint.getAddress().getPort() + "/credentials");
        env.put("AWS_CONTAINER_AUTHORIZATION_TOKEN", "container-token");
        managementApi.drain();
        try (RuntimeClientFunction snapStart = RuntimeClientFunction.start("SnapStartPresenceFunction", taskRoot,
                handlers.get("PresenceWebSocketFunction"), env, TARGET.resolve("shipped-jar-it/logs"))) {
            // A frame on a connection nobody registered: answered with an error and closed, both through the API.
            String stranger = connectionId();
            assertEquals(200, status(snapStart.answer(Events.message(stranger, "heartbeat",
                    "{\"action\": \"heartbeat\"}"))));
            List<ManagementApiStub.Post> posts = managementApi.drain();
            assertEquals(List.of("POST", "DELETE"), posts.stream().map(ManagementApiStub.Post::method).toList(),
                    snapStart.output());
            for (ManagementApiStub.Post post : posts) {
                assertTrue(post.authorization().contains("Credential=AKIDCONTAINER/"), post.authorization());
                assertEquals(java.util.Optional.empty(), post.refusal(), "signed with the container's secret and token");
            }
        } finally {
            endpoint.stop(0);
        }
    }

    private static List<JsonNode> jsonLines(String output) {
        return output.lines().filter(line -> line.startsWith("{")).map(LambdaWorld::json).toList();
    }

    private static Map<String, JsonNode> byConnection(List<ManagementApiStub.Post> posts) {
        List<String> ids = new ArrayList<>();
        posts.forEach(p -> ids.add(p.connectionId()));
        assertEquals(ids.size(), ids.stream().distinct().count(), "one push per connection: " + ids);
        return posts.stream().collect(Collectors.toMap(ManagementApiStub.Post::connectionId,
                p -> p.body().isEmpty() ? json("null") : json(p.body())));
    }
}
