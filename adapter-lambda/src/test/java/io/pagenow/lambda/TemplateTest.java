package io.pagenow.lambda;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.pagenow.core.delivery.Channel;
import io.pagenow.protocol.RestApi;
import io.pagenow.protocol.SocketApi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Modifier;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static io.pagenow.lambda.SamTemplate.asMap;
import static io.pagenow.lambda.SamTemplate.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The SAM template deploys what the handlers need: every class, route, permission and variable. */
class TemplateTest {

    /** The REST routes of docs/protocol.md. */
    private static final Set<String> PROTOCOL_ROUTES = Set.of(
            "GET /conversations", "GET /conversations/{conversationId}",
            "GET /conversations/{conversationId}/messages", "GET /conversations/{conversationId}/participants",
            "GET /conversation/direct/{userId}", "POST /conversation", "GET /presence", "GET /presence/{userId}");
    /** The client-to-server actions of each socket: what the protocol's dispatch serves, each a route. */
    private static final Map<Channel, Set<String>> ACTIONS = Map.of(
            Channel.CHAT, SocketApi.actions(Channel.CHAT),
            Channel.PRESENCE, SocketApi.actions(Channel.PRESENCE));
    private static final Set<String> LIFECYCLE_ROUTES = Set.of("$connect", "$disconnect", "$default");
    /** What a deployer passes for the parameters without a default. */
    private static final Map<String, String> SAMPLE_PARAMETERS = Map.of(
            "RdsProxyHost", "pagenow.proxy-abc.us-west-2.rds.amazonaws.com", "RdsDbName", "pagenow",
            "DatabaseSecretArn", "arn:aws:secretsmanager:us-west-2:123456789012:secret:pagenow-db-AbCdEf",
            "RedisAuthSecretArn", "arn:aws:secretsmanager:us-west-2:123456789012:secret:pagenow-redis-AbCdEf",
            "RedisEndpointAddress", "pagenow.abc.ng.0001.usw2.cache.amazonaws.com",
            "CognitoPoolId", "us-west-2_AbCdEfGhI", "ClientUrl", "https://chat.pagenow.io");
    /** What CloudFormation's dynamic references resolve to, with the sample secrets. */
    private static final Map<String, String> SAMPLE_SECRETS = Map.of(
            "{{resolve:secretsmanager:arn:aws:secretsmanager:us-west-2:123456789012:secret:pagenow-db-AbCdEf"
                    + ":SecretString:username}}", "pagenow",
            "{{resolve:secretsmanager:arn:aws:secretsmanager:us-west-2:123456789012:secret:pagenow-db-AbCdEf"
                    + ":SecretString:password}}", "secret",
            "{{resolve:secretsmanager:arn:aws:secretsmanager:us-west-2:123456789012:secret:pagenow-redis-AbCdEf"
                    + ":SecretString:password}}", "redis-token");
    private static final String REGION = "us-west-2";

    private static SamTemplate template;

    @BeforeAll
    static void read() throws Exception {
        template = SamTemplate.read(Path.of("template.yaml"));
    }

    @Test
    void everyFunctionsHandlerIsAHandlerClassOfThisModuleInTheJarTheBuildMakes() throws Exception {
        Map<String, Map<String, Object>> functions = template.resources("AWS::Serverless::Function");
        assertEquals(Set.of(RestHandler.class, ChatWebSocketHandler.class, PresenceWebSocketHandler.class,
                PresenceSweepHandler.class), functions.keySet().stream().map(TemplateTest::handlerClass)
                .collect(Collectors.toSet()));
        for (String id : functions.keySet()) {
            Class<?> handler = handlerClass(id);
            // A stream handler: the runtime client then binds no event class with its own Jackson (cold start).
            assertTrue(RequestStreamHandler.class.isAssignableFrom(handler), id + " must be a RequestStreamHandler");
            assertTrue(Modifier.isPublic(handler.getConstructor().getModifiers()), id + " needs a public no-arg constructor");
            assertTrue(Boolean.parseBoolean(String.valueOf(map(functions.get(id), "Metadata").get("SkipBuild"))),
                    id + " is built by Maven, not by sam build");
        }
        Map<String, Object> globals = map(map(template.root(), "Globals"), "Function");
        assertEquals("java21", globals.get("Runtime"));
        assertEquals(Map.of("ApplyOn", "PublishedVersions"), globals.get("SnapStart"));
        assertEquals("live", globals.get("AutoPublishAlias"));
        assertEquals("target/pagenow-lambda.jar", globals.get("CodeUri"));
        assertTrue(Files.readString(Path.of("pom.xml"))
                .contains("<outputFile>${project.build.directory}/pagenow-lambda.jar</outputFile>"));
    }

    @Test
    void everyRestRouteOfTheProtocolGoesToTheRestFunction() {
        // What the handler serves is the protocol module's router: the same routes the server has.
        RestApi rest = new RestApi(null, null, authorization -> "nobody");
        assertEquals(PROTOCOL_ROUTES, rest.routes().stream().map(r -> r.method() + " " + r.path())
                .collect(Collectors.toSet()));
        Map<String, Object> function = template.resources("AWS::Serverless::Function").get(functionOf(RestHandler.class));
        Set<String> mapped = new TreeSet<>();
        for (Object event : map(map(function, "Properties"), "Events").values()) {
            Map<String, Object> e = asMap(event);
            assertEquals("Api", e.get("Type"));
            Map<String, Object> properties = map(e, "Properties");
            assertEquals(Map.of("Ref", "RestApi"), properties.get("RestApiId"));
            mapped.add(properties.get("Method").toString().toUpperCase() + " " + properties.get("Path"));
        }
        Set<String> expected = new TreeSet<>(PROTOCOL_ROUTES);
        expected.add("OPTIONS /{proxy+}");
        assertEquals(expected, mapped);
        assertEquals("AWS::Serverless::Api", map(map(template.root(), "Resources"), "RestApi").get("Type"));
    }

    @Test
    void eachWebSocketApiRoutesEveryActionOfItsSocketToItsFunction() {
        Map<String, Map<String, Object>> apis = template.resources("AWS::ApiGatewayV2::Api");
        assertEquals(2, apis.size());
        Map<Channel, String> functionOfChannel = Map.of(
                Channel.CHAT, functionOf(ChatWebSocketHandler.class),
                Channel.PRESENCE, functionOf(PresenceWebSocketHandler.class));
        Set<Channel> seen = new TreeSet<>();
        for (Map.Entry<String, Map<String, Object>> api : apis.entrySet()) {
            String apiId = api.getKey();
            Map<String, Object> properties = map(api.getValue(), "Properties");
            assertEquals("WEBSOCKET", properties.get("ProtocolType"));
            assertEquals("$request.body.action", properties.get("RouteSelectionExpression"));

            String integration = single(template.resources("AWS::ApiGatewayV2::Integration"), apiId);
            Map<String, Object> integrationProperties = map(resource(integration), "Properties");
            assertEquals("AWS_PROXY", integrationProperties.get("IntegrationType"));
            String function = referencedFunction(sub(integrationProperties.get("IntegrationUri")));
            Channel channel = functionOfChannel.entrySet().stream().filter(e -> e.getValue().equals(function))
                    .map(Map.Entry::getKey).findFirst().orElseThrow(() -> new AssertionError(apiId + " -> " + function));
            seen.add(channel);

            Set<String> routeKeys = new TreeSet<>();
            template.resources("AWS::ApiGatewayV2::Route").values().stream()
                    .map(r -> map(r, "Properties"))
                    .filter(p -> p.get("ApiId").equals(Map.of("Ref", apiId)))
                    .forEach(p -> {
                        assertEquals("integrations/${" + integration + "}", sub(p.get("Target")), p.toString());
                        routeKeys.add(p.get("RouteKey").toString());
                    });
            Set<String> expected = new TreeSet<>(LIFECYCLE_ROUTES);
            expected.addAll(ACTIONS.get(channel));
            assertEquals(expected, routeKeys, apiId);

            Map<String, Object> stage = map(resource(single(template.resources("AWS::ApiGatewayV2::Stage"), apiId)),
                    "Properties");
            assertEquals(Map.of("Ref", "Stage"), stage.get("StageName"));
            assertEquals("true", stage.get("AutoDeploy"));

            Map<String, Object> permission = map(resource(single(template.resources("AWS::Lambda::Permission"),
                    apiId)), "Properties");
            assertEquals(Map.of("Ref", function + ".Alias"), permission.get("FunctionName"),
                    "API Gateway invokes the alias, whose versions have SnapStart");
            assertEquals("apigateway.amazonaws.com", permission.get("Principal"));
            assertTrue(sub(permission.get("SourceArn")).endsWith(":${" + apiId + "}/*"));

            assertTrue(managesConnectionsOf(function, apiId, "POST"), function + " may not post to " + apiId);
            assertTrue(managesConnectionsOf(function, apiId, "DELETE"), function + " may not close connections of " + apiId);
        }
        assertEquals(Set.of(Channel.CHAT, Channel.PRESENCE), seen);
    }

    @Test
    void theSweepRunsEveryMinuteAndMayPostToThePresenceApi() {
        String sweep = functionOf(PresenceSweepHandler.class);
        Map<String, Object> events = map(map(resource(sweep), "Properties"), "Events");
        Map<String, Object> schedule = asMap(events.values().iterator().next());
        assertEquals("Schedule", schedule.get("Type"));
        assertEquals("rate(1 minute)", map(schedule, "Properties").get("Schedule"));
        assertTrue(managesConnectionsOf(sweep, "PresenceWebSocketApi", "POST"));
        assertFalse(managesConnectionsOf(functionOf(RestHandler.class), "ChatWebSocketApi", "POST"),
                "the REST function never pushes");
    }

    @Test
    void everyVariableAHandlerReadsIsSetAndEveryVariableSetIsRead() {
        for (String function : template.resources("AWS::Serverless::Function").keySet()) {
            Map<String, String> env = environmentOf(function);
            for (String name : env.keySet()) {
                assertTrue(LambdaConfig.VARIABLES.contains(name) || name.equals("JAVA_TOOL_OPTIONS"),
                        function + " sets " + name + ", which nothing reads");
                assertFalse(LambdaConfig.RUNTIME_VARIABLES.contains(name), name + " is reserved by Lambda");
            }
            env.put("AWS_REGION", REGION);

            LambdaConfig config = LambdaConfig.from(env);

            assertEquals("jdbc:postgresql://pagenow.proxy-abc.us-west-2.rds.amazonaws.com:5432/pagenow",
                    config.database().jdbcUrl());
            assertEquals("pagenow", config.database().user());
            assertEquals("secret", config.database().password());
            assertEquals(URI.create("rediss://default:redis-token@pagenow.abc.ng.0001.usw2.cache.amazonaws.com:6379"),
                    config.redis().url());
            assertEquals("https://cognito-idp.us-west-2.amazonaws.com/us-west-2_AbCdEfGhI", config.auth().issuer());
            assertEquals(List.of("https://chat.pagenow.io"), config.clientOrigins());
            // The REST and scheduled functions have no WebSocket event to learn an endpoint from.
            assertEquals(Map.of(
                    Channel.CHAT, URI.create("https://ChatWebSocketApi-id.execute-api.us-west-2.amazonaws.com/prod"),
                    Channel.PRESENCE, URI.create("https://PresenceWebSocketApi-id.execute-api.us-west-2.amazonaws.com/prod")),
                    config.managementEndpoints());
        }
    }

    @Test
    void theFunctionsRunInTheVpcGivenAsParameters() {
        Map<String, Object> vpc = map(map(map(template.root(), "Globals"), "Function"), "VpcConfig");
        assertEquals(Map.of("Ref", "SubnetIds"), vpc.get("SubnetIds"));
        assertEquals(Map.of("Ref", "SecurityGroupIds"), vpc.get("SecurityGroupIds"));
        Map<String, Object> parameters = map(template.root(), "Parameters");
        assertEquals("List<AWS::EC2::Subnet::Id>", map(parameters, "SubnetIds").get("Type"));
        assertEquals("List<AWS::EC2::SecurityGroup::Id>", map(parameters, "SecurityGroupIds").get("Type"));
        assertFalse(parameters.keySet().stream().anyMatch(p -> p.toLowerCase().contains("password")),
                "passwords come from Secrets Manager, never as parameters: " + parameters.keySet());
    }

    @Test
    void everyFunctionLogsJsonToALogGroupWithARetention() {
        for (String function : template.resources("AWS::Serverless::Function").keySet()) {
            Map<String, Object> logging = map(map(resource(function), "Properties"), "LoggingConfig");
            assertEquals("JSON", logging.get("LogFormat"), function);
            String group = asMap(logging.get("LogGroup")).get("Ref").toString();
            Map<String, Object> logGroup = resource(group);
            assertEquals("AWS::Logs::LogGroup", logGroup.get("Type"));
            assertEquals(Map.of("Ref", "LogRetentionDays"), map(logGroup, "Properties").get("RetentionInDays"));
        }
    }

    // ------------------------------------------------------------------ helpers

    private static Class<?> handlerClass(String functionId) {
        String handler = map(resource(functionId), "Properties").get("Handler").toString();
        assertTrue(handler.endsWith("::handleRequest"), handler);
        try {
            return Class.forName(handler.substring(0, handler.indexOf("::")));
        } catch (ClassNotFoundException e) {
            throw new AssertionError(functionId + ": no class " + handler, e);
        }
    }

    private static String functionOf(Class<?> handler) {
        return template.resources("AWS::Serverless::Function").keySet().stream()
                .filter(id -> handlerClass(id).equals(handler)).findFirst()
                .orElseThrow(() -> new AssertionError("no function runs " + handler.getName()));
    }

    private static Map<String, Object> resource(String id) {
        Map<String, Object> resource = asMap(map(template.root(), "Resources").get(id));
        assertNotNull(resource, id);
        return resource;
    }

    /** The one resource of {@code candidates} that belongs to the API (by ApiId or SourceArn). */
    private static String single(Map<String, Map<String, Object>> candidates, String apiId) {
        List<String> found = candidates.entrySet().stream()
                .filter(e -> {
                    Map<String, Object> p = map(e.getValue(), "Properties");
                    return Map.of("Ref", apiId).equals(p.get("ApiId"))
                            || (p.get("SourceArn") != null && sub(p.get("SourceArn")).contains("${" + apiId + "}"));
                })
                .map(Map.Entry::getKey).toList();
        assertEquals(1, found.size(), apiId + ": " + found);
        return found.get(0);
    }

    private static String sub(Object value) {
        return asMap(value).get("Fn::Sub").toString();
    }

    private static String referencedFunction(String integrationUri) {
        Matcher m = Pattern.compile("\\$\\{(\\w+)\\.Alias}").matcher(integrationUri);
        assertTrue(m.find(), integrationUri);
        return m.group(1);
    }

    private static boolean managesConnectionsOf(String function, String apiId, String method) {
        Object policies = map(resource(function), "Properties").get("Policies");
        if (policies == null) {
            return false;
        }
        for (Object policy : (List<?>) policies) {
            Object statements = asMap(policy).get("Statement");
            if (statements == null) {
                continue;
            }
            for (Object statement : (List<?>) statements) {
                Map<String, Object> s = asMap(statement);
                if (!"Allow".equals(s.get("Effect")) || !"execute-api:ManageConnections".equals(s.get("Action"))) {
                    continue;
                }
                Object resources = s.get("Resource");
                for (Object resource : resources instanceof List<?> list ? list : List.of(resources)) {
                    if (sub(resource).endsWith(":${" + apiId + "}/${Stage}/" + method + "/@connections/*")) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** The function's environment as deployed with the sample parameters. */
    private static Map<String, String> environmentOf(String function) {
        Map<String, Object> variables = new LinkedHashMap<>(
                map(map(map(map(template.root(), "Globals"), "Function"), "Environment"), "Variables"));
        Object own = map(resource(function), "Properties").get("Environment");
        if (own != null) {
            variables.putAll(map(asMap(own), "Variables"));
        }
        Map<String, String> env = new HashMap<>();
        variables.forEach((name, value) -> {
            String resolved = resolve(value);
            if (resolved != null) {
                env.put(name, SAMPLE_SECRETS.getOrDefault(resolved, resolved));
            }
        });
        return env;
    }

    private static String resolve(Object value) {
        if (value instanceof String s) {
            return s;
        }
        Map<String, Object> intrinsic = asMap(value);
        if (intrinsic.containsKey("Ref")) {
            return ref(intrinsic.get("Ref").toString());
        }
        if (intrinsic.containsKey("Fn::Sub")) {
            Matcher m = Pattern.compile("\\$\\{([\\w:.]+)}").matcher(intrinsic.get("Fn::Sub").toString());
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                m.appendReplacement(out, Matcher.quoteReplacement(ref(m.group(1))));
            }
            m.appendTail(out);
            return out.toString();
        }
        if (intrinsic.containsKey("Fn::If")) {
            List<?> branches = (List<?>) intrinsic.get("Fn::If");
            return resolve(branches.get(condition(branches.get(0).toString()) ? 1 : 2));
        }
        throw new AssertionError("cannot resolve " + value);
    }

    /** A condition of the form {@code !Not [!Equals [!Ref Parameter, ""]]}, with the sample parameters. */
    private static boolean condition(String name) {
        Map<String, Object> not = asMap(map(template.root(), "Conditions").get(name));
        List<?> equals = (List<?>) asMap(((List<?>) not.get("Fn::Not")).get(0)).get("Fn::Equals");
        return !resolve(equals.get(0)).equals(resolve(equals.get(1)));
    }

    private static String ref(String name) {
        switch (name) {
            case "AWS::NoValue":
                return null;
            case "AWS::Region":
                return REGION;
            case "AWS::AccountId":
                return "123456789012";
            case "AWS::Partition":
                return "aws";
            default:
                break;
        }
        Map<String, Object> parameters = map(template.root(), "Parameters");
        if (parameters.containsKey(name)) {
            Object fallback = asMap(parameters.get(name)).get("Default");
            if (SAMPLE_PARAMETERS.containsKey(name)) {
                return SAMPLE_PARAMETERS.get(name);
            }
            if (fallback != null && !fallback.toString().isEmpty()) {
                return fallback.toString();
            }
            // The only empty default is CognitoRegion, whose condition then picks the stack's region.
            return name.equals("CognitoRegion") ? REGION : "";
        }
        assertTrue(map(template.root(), "Resources").containsKey(name), "unknown reference " + name);
        return name + "-id";
    }
}
