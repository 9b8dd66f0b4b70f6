package io.pagenow.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.pagenow.core.delivery.Channel;
import io.pagenow.core.delivery.Event;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docs/openapi.yaml and docs/asyncapi.yaml, read by real parsers, against what the router and the
 * socket dispatch actually serve: a route, action or event on one side only fails here.
 */
class ApiDocumentsTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();

    private static OpenAPI openApi() {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        options.setResolveFully(true);
        SwaggerParseResult result = new OpenAPIV3Parser().readContents(ApiDocument.OPENAPI.text(), null, options);
        assertEquals(List.of(), result.getMessages() == null ? List.of() : result.getMessages(),
                "the OpenAPI parser found problems");
        assertNotNull(result.getOpenAPI());
        return result.getOpenAPI();
    }

    @Test
    void thePackagedDocumentsAreTheOnesInDocs() throws Exception {
        Path docs = Path.of(System.getProperty("user.dir")).resolveSibling("docs");
        assertEquals(Files.readString(docs.resolve("openapi.yaml")), ApiDocument.OPENAPI.text());
        assertEquals(Files.readString(docs.resolve("asyncapi.yaml")), ApiDocument.ASYNCAPI.text());
    }

    @Test
    void openApiIsVersion31AndDescribesExactlyTheRoutesTheRouterServes() {
        OpenAPI api = openApi();
        assertTrue(api.getOpenapi().startsWith("3.1."), api.getOpenapi());

        Set<String> documented = new TreeSet<>();
        api.getPaths().forEach((path, item) -> item.readOperationsMap().keySet()
                .forEach(method -> documented.add(method.name() + " " + path)));
        Set<String> served = new TreeSet<>();
        RestApi router = new RestApi(null, null, null);
        router.routes().forEach(route -> served.add(route.method().toUpperCase() + " " + route.path()));

        assertEquals(served, documented);
    }

    @Test
    void everyOperationDocumentsItsAnswerAndTheErrorBody() {
        OpenAPI api = openApi();
        for (Map.Entry<String, PathItem> path : api.getPaths().entrySet()) {
            for (Map.Entry<PathItem.HttpMethod, Operation> entry : path.getValue().readOperationsMap().entrySet()) {
                String name = entry.getKey() + " " + path.getKey();
                Map<String, ApiResponse> responses = entry.getValue().getResponses();
                assertTrue(responses.containsKey("200"), name);
                for (String status : List.of("401", "500", "503")) {
                    ApiResponse error = responses.get(status);
                    assertNotNull(error, name + " documents " + status);
                    assertNotNull(error.getContent().get("application/json").getSchema(), name + " " + status);
                }
            }
        }
        assertEquals(Set.of("limit", "offset", "order", "before", "after"), api.getPaths()
                .get("/conversations/{conversationId}/messages").getGet().getParameters().stream()
                .filter(p -> p.getIn().equals("query")).map(p -> p.getName()).collect(java.util.stream.Collectors.toSet()));
        assertTrue(api.getComponents().getSchemas().get("Message").getProperties().keySet()
                .containsAll(Set.of("editedAt", "deletedAt")));
    }

    @Test
    void asyncApiIsAValidAsyncApi3Document() throws Exception {
        JsonNode document = YAML.readTree(ApiDocument.ASYNCAPI.text());
        assertEquals("3.0.0", document.get("asyncapi").asText());
        JsonSchema schema;
        try (InputStream in = ApiDocumentsTest.class.getResourceAsStream("/asyncapi/asyncapi-3.0.0-schema.json")) {
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(JSON.readTree(in));
        }

        Set<ValidationMessage> problems = schema.validate(document);

        assertEquals(Set.of(), problems);
    }

    @Test
    void theSchemaCheckCatchesABrokenDocument() throws Exception {
        JsonNode broken = YAML.readTree(ApiDocument.ASYNCAPI.text());
        ((com.fasterxml.jackson.databind.node.ObjectNode) broken.get("operations").get("typing"))
                .put("action", "publish"); // AsyncAPI 2's word, not 3's
        JsonSchema schema;
        try (InputStream in = ApiDocumentsTest.class.getResourceAsStream("/asyncapi/asyncapi-3.0.0-schema.json")) {
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(JSON.readTree(in));
        }

        assertTrue(!schema.validate(broken).isEmpty(), "a wrong action is found");
    }

    @Test
    void asyncApiDescribesExactlyTheActionsAndEventsOfEachSocket() throws Exception {
        JsonNode document = YAML.readTree(ApiDocument.ASYNCAPI.text());
        for (Channel channel : Channel.values()) {
            String key = channel.name().toLowerCase();
            assertEquals("/" + key, document.get("channels").get(key).get("address").asText());

            assertEquals(new TreeSet<>(SocketApi.actions(channel)), messageNames(document, key, "receive"),
                    "client actions on " + key);
            Set<String> events = new TreeSet<>(eventTypes(channel));
            events.add("error");
            assertEquals(events, messageNames(document, key, "send"), "server events on " + key);
        }
    }

    /** The names of the messages of every operation with this action on the channel, following the $refs. */
    private static Set<String> messageNames(JsonNode document, String channel, String action) {
        Set<String> names = new TreeSet<>();
        document.get("operations").forEach(operation -> {
            if (!operation.get("action").asText().equals(action)
                    || !operation.get("channel").get("$ref").asText().equals("#/channels/" + channel)) {
                return;
            }
            operation.get("messages").forEach(ref -> {
                JsonNode message = resolve(document, ref.get("$ref").asText());
                assertTrue(ref.get("$ref").asText().startsWith("#/channels/" + channel + "/messages/"),
                        "an operation's message belongs to its channel: " + ref);
                names.add(message.get("name").asText());
            });
        });
        return names;
    }

    private static JsonNode resolve(JsonNode document, String ref) {
        JsonNode node = document.at(ref.substring(1));
        assertTrue(!node.isMissingNode(), "unresolved " + ref);
        return node.has("$ref") ? resolve(document, node.get("$ref").asText()) : node;
    }

    /** The {@code type} of every event the server pushes on the channel, from the sealed Event hierarchy. */
    private static Set<String> eventTypes(Channel channel) throws Exception {
        Set<String> types = new TreeSet<>();
        for (Class<?> kind : Event.class.getPermittedSubclasses()) {
            Event sample = sample(kind);
            if (sample.channel() == channel) {
                types.add(EventJson.type(sample));
            }
        }
        return types;
    }

    private static Event sample(Class<?> kind) throws Exception {
        RecordComponent[] components = kind.getRecordComponents();
        Class<?>[] types = new Class<?>[components.length];
        Object[] values = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            types[i] = components[i].getType();
            values[i] = types[i] == UUID.class ? UUID.randomUUID() : types[i] == Instant.class ? Instant.EPOCH : "x";
        }
        Constructor<?> constructor = kind.getDeclaredConstructor(types);
        return (Event) constructor.newInstance(values);
    }
}
