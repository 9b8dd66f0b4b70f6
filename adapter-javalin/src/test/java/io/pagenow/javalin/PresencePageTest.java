package io.pagenow.javalin;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.pagenow.javalin.TestServer.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What friends see of the page a user is on, over real sockets with presence on the real Redis: the
 * original extension sends any tab, whatever its length or scheme, and ignores errors, so nothing
 * it sends may be refused into a stale page, nor a local page relayed.
 */
class PresencePageTest {

    private static final String BBC = "https://news.bbc.co.uk/sport";

    private String prefix;
    private TestServer server;
    private String aliceToken;
    private String bobToken;
    private TestSocket alice;
    private TestSocket bob;

    @BeforeEach
    void start() {
        prefix = LiveStores.freshRedisPrefix();
        server = TestServer.start(LiveStores.redis(LiveStores.REDIS_URL, prefix, "node-page"));
        aliceToken = server.token("alice");
        bobToken = server.token("bob");
        alice = server.connect("/presence", aliceToken);
        assertEquals("alice", alice.next("update-presence").get("userId").asText(), "alice is online");
        bob = server.connect("/presence", bobToken);
        assertEquals("bob", bob.next("update-presence").get("userId").asText(), "bob is online");
        assertEquals("bob", alice.next("update-presence").get("userId").asText(), "alice hears of it");
        alice.send(update(BBC, "Sport"));
        assertEquals(BBC, alice.next("update-presence").get("url").asText());
        assertEquals(BBC, bob.next("update-presence").get("url").asText());
    }

    @AfterEach
    void stop() {
        server.close();
        LiveStores.deleteRedisKeys(prefix);
    }

    private static String update(String url, String title) {
        return "{\"action\":\"update-presence\",\"url\":\"" + url + "\",\"title\":\"" + title + "\"}";
    }

    @Test
    void aLongUrlReachesFriendsAsItsOriginAndPath() {
        String path = "https://accounts.example.com/o/saml2/idp";
        String url = path + "?SAMLRequest=" + "x".repeat(5000 - path.length() - 13) + "#top";
        assertEquals(5004, url.length());

        alice.send(update(url, "t".repeat(600)));

        JsonNode seen = bob.next("update-presence");
        assertEquals("alice", seen.get("userId").asText());
        assertEquals(path, seen.get("url").asText());
        assertEquals("t".repeat(511) + "\u2026", seen.get("title").asText());
        assertEquals("example.com", seen.get("domain").asText());
        assertEquals(path, seen.get("latestUrl").asText(), "the page alice left is no longer shown");
        assertEquals(seen, alice.next("update-presence"), "accepted: alice gets the same, no error");
        assertEquals(List.of(), alice.drain());

        assertEquals("{\"url\":\"" + path + "\",\"title\":\"" + "t".repeat(511) + "\u2026\"}",
                ok(server.get("/presence/alice", bobToken)).toString());
        JsonNode overview = ok(server.get("/presence", bobToken)).get("presenceArr");
        JsonNode aliceSeen = friend(overview, "alice");
        assertEquals(path, aliceSeen.get("page").get("url").asText());
        assertEquals(path, aliceSeen.get("latestPage").get("url").asText());
    }

    @Test
    void aLongPathIsCutAtTheLimit() {
        String url = "https://example.com/" + "\uD83D\uDE00".repeat(3000);

        alice.send(update(url, "Emoji"));

        String seen = bob.next("update-presence").get("url").asText();
        assertEquals(2048, seen.codePointCount(0, seen.length()));
        assertTrue(url.startsWith(seen), "a prefix, no pair split");
        assertEquals(seen, ok(server.get("/presence/alice", bobToken)).get("url").asText());
    }

    @Test
    void aFilePageReachesFriendsAsNoPage() {
        alice.send(update("file:///home/alice/contract.pdf", "contract.pdf"));

        JsonNode seen = bob.next("update-presence");
        assertEquals("{\"type\":\"update-presence\",\"userId\":\"alice\",\"url\":\"\",\"title\":\"\",\"domain\":\"\","
                + "\"latestUrl\":\"" + BBC + "\",\"latestTitle\":\"Sport\",\"latestDomain\":\"bbc.co.uk\"}",
                seen.toString(), "like a hidden page");
        assertEquals(seen, alice.next("update-presence"), "accepted: alice gets the same, no error");
        assertEquals("{\"url\":\"\",\"title\":\"\"}", ok(server.get("/presence/alice", bobToken)).toString());
        String overview = ok(server.get("/presence", bobToken)).toString();
        assertFalse(overview.contains("contract"), overview);

        alice.send(update("chrome://newtab/", "New Tab"));
        alice.send(update("javascript:alert(1)", "x"));
        for (int i = 0; i < 2; i++) {
            JsonNode next = bob.next("update-presence");
            assertEquals("", next.get("url").asText());
            assertEquals("", next.get("title").asText());
        }
        assertEquals(List.of(), bob.drain());
    }

    @Test
    void aFrameOver64KiBIsStillRefusedAndChangesNothing() {
        TestSocket aliceOtherTab = server.connect("/presence", aliceToken);
        alice.send(update("https://example.com/" + "p".repeat(64 * 1024), "Huge"));

        assertEquals(1009, alice.awaitClose());
        assertTrue(aliceOtherTab.isOpen());
        assertEquals("{\"url\":\"" + BBC + "\",\"title\":\"Sport\"}",
                ok(server.get("/presence/alice", bobToken)).toString());
    }

    private static JsonNode friend(JsonNode presenceArr, String userId) {
        for (JsonNode friend : presenceArr) {
            if (friend.get("userId").asText().equals(userId)) {
                return friend;
            }
        }
        throw new AssertionError(userId + " not in " + presenceArr);
    }
}
