package io.pagenow.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import io.pagenow.lambda.LambdaWorld.Push;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static io.pagenow.lambda.LambdaWorld.connectionId;
import static io.pagenow.lambda.LambdaWorld.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The page friends see, through the presence handler: the same rule as on the server. */
class PresencePageHandlerTest {

    private static final String BBC = "https://news.bbc.co.uk/sport";

    private LambdaWorld world;
    private String alice;
    private String bob;

    @BeforeEach
    void start() throws Exception {
        world = new LambdaWorld();
        alice = connectionId();
        bob = connectionId();
        world.presence.handleRequest(Events.connect(alice, world.token("alice")), null);
        world.presence.handleRequest(Events.connect(bob, world.token("bob")), null);
        world.pushes();
        assertEquals(BBC, update(BBC, "Sport").get(bob).path("url").asText());
    }

    @AfterEach
    void stop() {
        world.close();
    }

    /** Sends alice's update, which must be accepted, and answers what each socket was pushed. */
    private Map<String, JsonNode> update(String url, String title) {
        assertEquals(200, world.presence.handleRequest(Events.message(alice, "update-presence",
                "{\"action\": \"update-presence\", \"url\": \"" + url + "\", \"title\": \"" + title + "\"}"), null)
                .getStatusCode());
        List<Push> pushes = world.pushes();
        assertEquals(pushes.size(), pushes.stream().map(Push::connectionId).distinct().count(), pushes.toString());
        return pushes.stream().collect(Collectors.toMap(Push::connectionId, Push::frame));
    }

    private JsonNode currentPageSeenByBob() {
        return json(world.rest.handleRequest(Events.rest("GET", "/presence/{userId}").path("/presence/alice")
                .token(world.token("bob")).json(), null).getBody());
    }

    @Test
    void aLongUrlReachesFriendsAsItsOriginAndPath() {
        String path = "https://accounts.example.com/o/saml2/idp";
        String url = path + "?SAMLRequest=" + "x".repeat(5000) + "#top";

        Map<String, JsonNode> pushed = update(url, "t".repeat(600));

        assertEquals(Set.of(alice, bob), pushed.keySet(), "accepted: no error, the update to both");
        JsonNode seen = pushed.get(bob);
        assertEquals("update-presence", seen.path("type").asText());
        assertEquals(path, seen.path("url").asText());
        assertEquals("t".repeat(511) + "\u2026", seen.path("title").asText());
        assertEquals("example.com", seen.path("domain").asText());
        assertEquals(path, seen.path("latestUrl").asText());
        assertEquals(seen, pushed.get(alice));
        assertEquals(path, currentPageSeenByBob().path("url").asText());
    }

    @Test
    void aFilePageReachesFriendsAsNoPage() {
        Map<String, JsonNode> pushed = update("file:///home/alice/contract.pdf", "contract.pdf");

        assertEquals(Set.of(alice, bob), pushed.keySet());
        assertEquals("{\"type\":\"update-presence\",\"userId\":\"alice\",\"url\":\"\",\"title\":\"\",\"domain\":\"\","
                + "\"latestUrl\":\"" + BBC + "\",\"latestTitle\":\"Sport\",\"latestDomain\":\"bbc.co.uk\"}",
                pushed.get(bob).toString());
        assertEquals("{\"url\":\"\",\"title\":\"\"}", currentPageSeenByBob().toString());
    }
}
