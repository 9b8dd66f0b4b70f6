package io.pagenow.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pagenow.core.chat.ChatCore;
import io.pagenow.core.chat.CreateConversation;
import io.pagenow.core.chat.SendMessage;
import io.pagenow.core.chat.port.in.Chat;
import io.pagenow.core.chat.port.out.ConversationStore;
import io.pagenow.core.delivery.Channel;
import io.pagenow.core.delivery.Connection;
import io.pagenow.core.error.StoreUnavailableException;
import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RestApiTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final CoreFixture core = new CoreFixture();
    private final TestIssuer issuer = new TestIssuer(core.clock);
    private final RestApi api = new RestApi(core.chat, core.presence, issuer.verifier(Optional.empty()));

    private RestResponse call(String user, String method, String path, Map<String, String> query, String body) {
        return api.handle(new RestRequest(method, path, query, user == null ? null : issuer.idToken(user), body));
    }

    private RestResponse get(String user, String path) {
        return call(user, "GET", path, Map.of(), null);
    }

    private static JsonNode json(RestResponse response) {
        try {
            return MAPPER.readTree(response.body());
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
    }

    private static JsonNode ok(RestResponse response) {
        assertEquals(200, response.status(), response.body());
        return json(response);
    }

    private static void assertError(int status, String fragment, RestResponse response) {
        assertEquals(status, response.status(), response.body());
        JsonNode body = json(response);
        assertEquals(List.of("error"), names(body));
        assertTrue(body.get("error").asText().contains(fragment), body.toString());
    }

    private static List<String> names(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private UUID direct(String a, String b) {
        return core.chat.createConversation(a, new CreateConversation(List.of(b), false, null)).id();
    }

    private void send(String sender, UUID conversation, String content) {
        core.chat.send(sender, new SendMessage(UUID.randomUUID().toString(), conversation, content));
        core.clock.advance(Duration.ofSeconds(1));
    }

    @Test
    void createsADirectConversationOnceAndFindsIt() {
        assertEquals("null", ok(get("alice", "/conversation/direct/bob")).toString());
        JsonNode created = ok(call("alice", "POST", "/conversation", Map.of(),
                "{\"recipientIdArr\":[\"bob\",\"alice\",\"bob\"],\"isGroup\":false}"));
        assertEquals(List.of("conversationId"), names(created));
        JsonNode again = ok(call("bob", "POST", "/conversation", Map.of(),
                "{\"recipientIdArr\":[\"alice\"],\"isGroup\":false,\"title\":\"ignored\"}"));
        assertEquals(created, again);
        assertEquals(created, ok(get("bob", "/conversation/direct/alice")));
    }

    @Test
    void conversationHasItsShapeWithExtensions() {
        JsonNode created = ok(call("alice", "POST", "/conversation", Map.of(),
                "{\"recipientIdArr\":[\"bob\",\"carol\"],\"isGroup\":true,\"title\":\"Trip\"}"));
        String id = created.get("conversationId").asText();
        JsonNode conversation = ok(get("bob", "/conversations/" + id));
        assertEquals(List.of("conversationId", "title", "isGroup", "participantId", "participantIds", "createdBy",
                "createdAt"), names(conversation));
        assertEquals(id, conversation.get("conversationId").asText());
        assertEquals("Trip", conversation.get("title").asText());
        assertTrue(conversation.get("isGroup").asBoolean());
        assertEquals("alice", conversation.get("participantId").asText());
        assertEquals("[\"alice\",\"carol\"]", conversation.get("participantIds").toString());
        assertEquals("alice", conversation.get("createdBy").asText());
        assertEquals("2026-11-23T10:15:30.123Z", conversation.get("createdAt").asText());
        assertEquals("[\"alice\",\"bob\",\"carol\"]", ok(get("carol", "/conversations/" + id + "/participants")).toString());
    }

    @Test
    void listsConversationsNewestFirstWithReadStateAndFilter() {
        UUID withBob = direct("alice", "bob");
        UUID withCarol = direct("alice", "carol");
        direct("alice", "dave");
        send("bob", withBob, "hi alice");
        send("alice", withCarol, "hi carol");

        JsonNode list = ok(get("alice", "/conversations"));
        assertEquals(2, list.size(), "conversations without messages are not listed");
        JsonNode first = list.get(0);
        assertEquals(List.of("conversationId", "title", "isGroup", "participantId", "participantIds", "sentAt",
                "latestContent", "senderId", "isRead", "unreadCount"), names(first));
        assertEquals(withCarol.toString(), first.get("conversationId").asText());
        assertEquals("hi carol", first.get("latestContent").asText());
        assertEquals("alice", first.get("senderId").asText());
        assertTrue(first.get("isRead").asBoolean(), "a sender has read its own message");
        assertEquals("carol", first.get("participantId").asText());
        assertEquals("", first.get("title").asText());
        assertFalse(first.get("isGroup").asBoolean());
        assertEquals("2026-11-23T10:15:31.123Z", first.get("sentAt").asText());
        JsonNode second = list.get(1);
        assertFalse(second.get("isRead").asBoolean());
        assertEquals(1, second.get("unreadCount").asInt());

        JsonNode unread = ok(call("alice", "GET", "/conversations", Map.of("isRead", "false"), null));
        assertEquals(1, unread.size());
        assertEquals(withBob.toString(), unread.get(0).get("conversationId").asText());
        assertEquals(1, ok(call("alice", "GET", "/conversations", Map.of("isRead", "true"), null)).size());
        assertError(400, "'isRead'", call("alice", "GET", "/conversations", Map.of("isRead", "maybe"), null));
    }

    @Test
    void pagesMessagesByOffsetOrderAndCursor() {
        UUID id = direct("alice", "bob");
        for (int i = 1; i <= 5; i++) {
            send(i % 2 == 0 ? "bob" : "alice", id, "m" + i);
        }
        String path = "/conversations/" + id + "/messages";
        JsonNode newest = ok(get("bob", path));
        assertEquals(5, newest.size());
        assertEquals(List.of("messageId", "conversationId", "sentAt", "senderId", "content", "editedAt", "deletedAt"),
                names(newest.get(0)));
        assertTrue(newest.get(0).get("editedAt").isNull());
        assertTrue(newest.get(0).get("deletedAt").isNull());
        assertEquals("m5", newest.get(0).get("content").asText());
        assertEquals(id.toString(), newest.get(0).get("conversationId").asText());

        JsonNode window = ok(call("bob", "GET", path, Map.of("limit", "2", "offset", "1", "order", "asc"), null));
        assertEquals(List.of("m3", "m4"), contents(window));

        String m4 = newest.get(1).get("messageId").asText();
        JsonNode before = ok(call("bob", "GET", path, Map.of("before", m4, "limit", "2", "offset", "3"), null));
        assertEquals(List.of("m3", "m2"), contents(before));

        String m2 = newest.get(3).get("messageId").asText();
        JsonNode after = ok(call("bob", "GET", path, Map.of("after", m2, "limit", "2", "order", "asc"), null));
        assertEquals(List.of("m3", "m4"), contents(after), "the oldest two newer than m2, for catching up");
        assertEquals(List.of("m5", "m4", "m3"), contents(ok(call("bob", "GET", path, Map.of("after", m2), null))),
                "desc by default");
    }

    @Test
    void anAfterCursorOfAnotherConversationOrNoMessageIs400() {
        UUID id = direct("alice", "bob");
        UUID other = direct("alice", "carol");
        send("alice", id, "m1");
        send("alice", other, "elsewhere");
        String foreign = ok(get("alice", "/conversations/" + other + "/messages")).get(0).get("messageId").asText();
        String path = "/conversations/" + id + "/messages";

        RestResponse wrongConversation = call("bob", "GET", path, Map.of("after", foreign), null);
        assertEquals(400, wrongConversation.status());
        assertTrue(wrongConversation.body().contains("'after'"), wrongConversation.body());
        assertEquals(400, call("bob", "GET", path, Map.of("after", UUID.randomUUID().toString()), null).status());
        assertEquals(400, call("bob", "GET", path, Map.of("after", "not-a-uuid"), null).status());
        assertEquals(400, call("bob", "GET", path, Map.of("after", foreign, "before", foreign), null).status());
    }

    @Test
    void editedAndDeletedMessagesCarryTheirTimes() {
        UUID id = direct("alice", "bob");
        send("alice", id, "m1");
        String path = "/conversations/" + id + "/messages";
        UUID m1 = UUID.fromString(ok(get("bob", path)).get(0).get("messageId").asText());
        core.chat.edit("alice", m1, "m1!");
        core.clock.advance(java.time.Duration.ofSeconds(1));
        core.chat.delete("alice", m1);

        JsonNode tombstone = ok(get("bob", path)).get(0);
        assertEquals("", tombstone.get("content").asText());
        assertEquals("2026-11-23T10:15:31.123Z", tombstone.get("editedAt").asText());
        assertEquals("2026-11-23T10:15:32.123Z", tombstone.get("deletedAt").asText());
        assertEquals("", ok(get("bob", "/conversations")).get(0).get("latestContent").asText(),
                "the summary follows the delete of its latest message");
    }

    private static List<String> contents(JsonNode messages) {
        List<String> contents = new ArrayList<>();
        messages.forEach(m -> contents.add(m.get("content").asText()));
        return contents;
    }

    @Test
    void refusesOutOfRangeAndMalformedPagingParameters() {
        UUID id = direct("alice", "bob");
        String path = "/conversations/" + id + "/messages";
        assertError(400, "'limit'", call("bob", "GET", path, Map.of("limit", "1000"), null));
        assertError(400, "'limit'", call("bob", "GET", path, Map.of("limit", "0"), null));
        assertError(400, "'limit'", call("bob", "GET", path, Map.of("limit", "99999999999999999999"), null));
        assertError(400, "'limit'", call("bob", "GET", path, Map.of("limit", "ten"), null));
        assertError(400, "'offset'", call("bob", "GET", path, Map.of("offset", "-1"), null));
        assertError(400, "'order'", call("bob", "GET", path, Map.of("order", "sideways"), null));
        assertError(400, "'before'", call("bob", "GET", path, Map.of("before", "nope"), null));
        assertError(400, "'before'", call("bob", "GET", path, Map.of("before", UUID.randomUUID().toString()), null));
    }

    @Test
    void onlyParticipantsMayReadAConversation() {
        UUID id = direct("alice", "bob");
        assertError(403, "participant", get("carol", "/conversations/" + id));
        assertError(403, "participant", get("carol", "/conversations/" + id + "/messages"));
        assertError(403, "participant", get("carol", "/conversations/" + id + "/participants"));
        assertError(404, "not found", get("alice", "/conversations/" + UUID.randomUUID()));
        assertError(400, "'conversationId'", get("alice", "/conversations/not-a-uuid"));
        assertError(400, "'conversationId'", get("alice", "/conversations/1-2-3-4-5"));
    }

    @Test
    void refusesBadCreateBodiesNamingTheFieldAndStoresNothing() {
        assertError(400, "'recipientIdArr'", call("alice", "POST", "/conversation", Map.of(), "{\"isGroup\":false}"));
        assertError(400, "'recipientIdArr'", call("alice", "POST", "/conversation", Map.of(),
                "{\"recipientIdArr\":[],\"isGroup\":false}"));
        assertError(400, "'recipientIdArr'", call("alice", "POST", "/conversation", Map.of(),
                "{\"recipientIdArr\":\"bob\",\"isGroup\":false}"));
        assertError(400, "'recipientIdArr'", call("alice", "POST", "/conversation", Map.of(),
                "{\"recipientIdArr\":[42],\"isGroup\":false}"));
        assertError(400, "'isGroup'", call("alice", "POST", "/conversation", Map.of(), "{\"recipientIdArr\":[\"bob\"]}"));
        assertError(400, "'isGroup'", call("alice", "POST", "/conversation", Map.of(),
                "{\"recipientIdArr\":[\"bob\"],\"isGroup\":\"no\"}"));
        assertError(400, "'title'", call("alice", "POST", "/conversation", Map.of(),
                "{\"recipientIdArr\":[\"bob\",\"carol\"],\"isGroup\":true}"));
        assertError(400, "'title'", call("alice", "POST", "/conversation", Map.of(),
                "{\"recipientIdArr\":[\"bob\",\"carol\"],\"isGroup\":true,\"title\":7}"));
        assertError(400, "'recipientIdArr'", call("alice", "POST", "/conversation", Map.of(),
                "{\"recipientIdArr\":[\"bob\"],\"isGroup\":true,\"title\":\"x\"}"));
        assertError(400, "Malformed JSON", call("alice", "POST", "/conversation", Map.of(), "{\"recipientIdArr\":"));
        assertError(400, "JSON object", call("alice", "POST", "/conversation", Map.of(), "[1]"));
        assertError(400, "Missing body", call("alice", "POST", "/conversation", Map.of(), null));
        assertError(413, "body", call("alice", "POST", "/conversation", Map.of(),
                "{\"title\":\"" + "x".repeat(RestApi.MAX_BODY_BYTES) + "\"}"));
        assertEquals(Optional.empty(), core.chat.directConversation("alice", "bob"));
        assertEquals("[]", ok(get("alice", "/conversations")).toString());
    }

    @Test
    void presenceOverviewAndCurrentPage() {
        core.presence.connect(new Connection("c1", "bob", Channel.PRESENCE, "node"));
        core.presence.updatePresence("bob", "https://news.bbc.co.uk/story", "Story");
        JsonNode overview = ok(get("alice", "/presence"));
        assertEquals(List.of("userPresence", "presenceArr", "userInfoMap"), names(overview));
        JsonNode self = overview.get("userPresence");
        assertEquals(List.of("userId", "page", "latestPage", "online", "lastSeenAt"), names(self));
        assertEquals("alice", self.get("userId").asText());
        assertTrue(self.get("page").isNull());
        assertTrue(self.get("latestPage").isNull());
        assertFalse(self.get("online").asBoolean());
        assertTrue(self.get("lastSeenAt").isNull());

        Map<String, JsonNode> friends = new HashMap<>();
        overview.get("presenceArr").forEach(p -> friends.put(p.get("userId").asText(), p));
        assertEquals(2, friends.size());
        JsonNode bob = friends.get("bob");
        assertEquals("{\"url\":\"https://news.bbc.co.uk/story\",\"title\":\"Story\",\"domain\":\"bbc.co.uk\"}",
                bob.get("page").toString());
        assertEquals(bob.get("page"), bob.get("latestPage"));
        assertTrue(bob.get("online").asBoolean());
        assertEquals("2026-11-23T10:15:30.123Z", bob.get("lastSeenAt").asText());
        assertTrue(friends.get("carol").get("page").isNull());

        JsonNode users = overview.get("userInfoMap");
        assertEquals(java.util.Set.of("alice", "bob", "carol"), java.util.Set.copyOf(names(users)));
        assertEquals("{\"user_id\":\"bob\",\"first_name\":\"Bob\",\"last_name\":\"Lee\",\"profile_image_extension\":null}",
                users.get("bob").toString());

        assertEquals("{\"url\":\"https://news.bbc.co.uk/story\",\"title\":\"Story\"}",
                ok(get("alice", "/presence/bob")).toString());
        assertEquals("null", ok(get("alice", "/presence/carol")).toString());
        assertError(403, "friends", get("dave", "/presence/bob"));
    }

    @Test
    void anEmptyUrlMeansOnlineOnAnUnsharedPage() {
        core.presence.connect(new Connection("c1", "bob", Channel.PRESENCE, "node"));
        core.presence.updatePresence("bob", "", "");
        assertEquals("{\"url\":\"\",\"title\":\"\"}", ok(get("alice", "/presence/bob")).toString());
        JsonNode bob = ok(get("bob", "/presence")).get("userPresence");
        assertEquals("{\"url\":\"\",\"title\":\"\",\"domain\":\"\"}", bob.get("latestPage").toString());
    }

    @Test
    void refusesMissingAndInvalidTokens() {
        assertError(401, "Missing token", api.handle(new RestRequest("GET", "/conversations", Map.of(), null, null)));
        assertError(401, "token", api.handle(new RestRequest("GET", "/conversations", Map.of(), "junk", null)));
        assertError(401, "token", api.handle(new RestRequest("GET", "/presence", Map.of(),
                issuer.hmacWithPublicKey("alice"), null)));
        assertEquals(200, api.handle(new RestRequest("GET", "/conversations", Map.of(),
                "Bearer " + issuer.idToken("alice"), null)).status());
    }

    @Test
    void unknownRoutesAndMethods() {
        RestResponse unknown = get("alice", "/nothing/here");
        assertError(404, "No route", unknown);
        assertEquals("unmatched", unknown.route());
        assertError(405, "not allowed", call("alice", "DELETE", "/conversations", Map.of(), null));
        RestResponse matched = get("alice", "/conversations/");
        assertEquals(200, matched.status());
        assertEquals("/conversations", matched.route());
    }

    @Test
    void decodesPercentEncodedPathParameters() {
        assertEquals("null", ok(get("alice", "/conversation/direct/b%C3%B6b")).toString());
        assertError(400, "percent", get("alice", "/conversation/direct/%zz"));
    }

    @Test
    void listsItsRoutes() {
        assertEquals(8, api.routes().size());
        assertTrue(api.routes().contains(new RestRoute("GET", "/conversations/{conversationId}/messages")));
        assertTrue(api.routes().contains(new RestRoute("POST", "/conversation")));
    }

    @Test
    void storeFailuresAre503AndBugsAre500WithoutInternals() {
        RestApi down = new RestApi(ChatCore.create(failingStore(new StoreUnavailableException("database",
                new RuntimeException("password=hunter2"))), core.deliveries, core.clock), core.presence,
                issuer.verifier(Optional.empty()));
        RestResponse unavailable = down.handle(new RestRequest("GET", "/conversations", Map.of(),
                issuer.idToken("alice"), null));
        assertError(503, "unavailable", unavailable);
        assertFalse(unavailable.body().contains("hunter2"));

        RestApi broken = new RestApi(ChatCore.create(failingStore(new IllegalStateException("secret internals")),
                core.deliveries, core.clock), core.presence, issuer.verifier(Optional.empty()));
        RestResponse internal = broken.handle(new RestRequest("GET", "/conversations", Map.of(),
                issuer.idToken("alice"), null));
        assertError(500, "Internal server error", internal);
        assertFalse(internal.body().contains("secret"));
    }

    // ---- HTTP caching: ETag, If-None-Match, the kept conversation list --------------------------

    private RestResponse conditionalGet(RestApi on, String user, String path, Map<String, String> query,
                                        String ifNoneMatch) {
        return on.handle(new RestRequest("GET", path, query, issuer.idToken(user), null, ifNoneMatch));
    }

    @Test
    void theConversationListCarriesAnETagAndA304WithoutBodyWhileUnchanged() {
        UUID withBob = direct("alice", "bob");
        send("bob", withBob, "hi alice");

        RestResponse first = get("alice", "/conversations");
        assertEquals(200, first.status());
        String etag = first.etag();
        assertTrue(etag != null && etag.matches("\"[A-Za-z0-9_-]{22}\""), String.valueOf(etag));
        assertEquals(etag, get("alice", "/conversations").etag(), "the same list, the same tag");

        for (String ifNoneMatch : List.of(etag, "W/" + etag, "\"other\", " + etag, "*")) {
            RestResponse unchanged = conditionalGet(api, "alice", "/conversations", Map.of(), ifNoneMatch);
            assertEquals(304, unchanged.status(), ifNoneMatch);
            assertEquals("", unchanged.body());
            assertEquals(etag, unchanged.etag());
            assertEquals("/conversations", unchanged.route());
        }
        RestResponse otherTag = conditionalGet(api, "alice", "/conversations", Map.of(), "\"other\"");
        assertEquals(200, otherTag.status());
        assertEquals(first.body(), otherTag.body());

        RestResponse filtered = call("alice", "GET", "/conversations", Map.of("isRead", "true"), null);
        assertEquals("[]", filtered.body());
        assertFalse(etag.equals(filtered.etag()), "each filter's body has its own tag");
        assertEquals(304, conditionalGet(api, "alice", "/conversations", Map.of("isRead", "true"), filtered.etag())
                .status());
    }

    @Test
    void everyChangeToTheListChangesItsTagAndBody() {
        UUID withBob = direct("alice", "bob");
        send("bob", withBob, "hi alice");
        RestResponse before = get("alice", "/conversations");

        send("bob", withBob, "are you there?");
        RestResponse afterSend = conditionalGet(api, "alice", "/conversations", Map.of(), before.etag());
        assertEquals(200, afterSend.status(), "a new message: the old tag no longer matches");
        assertEquals("are you there?", ok(afterSend).get(0).get("latestContent").asText());
        assertEquals(2, ok(afterSend).get(0).get("unreadCount").asInt());

        core.chat.read("alice", withBob);
        RestResponse afterRead = conditionalGet(api, "alice", "/conversations", Map.of(), afterSend.etag());
        assertEquals(200, afterRead.status(), "a read: the old tag no longer matches");
        assertTrue(ok(afterRead).get(0).get("isRead").asBoolean());
        assertEquals(0, ok(afterRead).get(0).get("unreadCount").asInt());
        assertEquals("[]", call("alice", "GET", "/conversations", Map.of("isRead", "false"), null).body());

        UUID mine = core.chat.send("alice", new SendMessage("edit-me", withBob, "typo")).id();
        RestResponse afterOwnSend = get("alice", "/conversations");
        core.chat.edit("alice", mine, "fixed");
        RestResponse afterEdit = conditionalGet(api, "bob", "/conversations", Map.of(), null);
        assertEquals("fixed", ok(afterEdit).get(0).get("latestContent").asText());
        assertEquals(200, conditionalGet(api, "alice", "/conversations", Map.of(), afterOwnSend.etag()).status(),
                "an edit of the latest message");
        core.chat.delete("alice", mine);
        assertEquals("", ok(get("bob", "/conversations")).get(0).get("latestContent").asText(), "a delete");

        RestApi fresh = new RestApi(core.chat, core.presence, issuer.verifier(Optional.empty()));
        for (String user : List.of("alice", "bob")) {
            for (Map<String, String> query : List.of(Map.<String, String>of(), Map.of("isRead", "true"),
                    Map.of("isRead", "false"))) {
                RestResponse kept = call(user, "GET", "/conversations", query, null);
                RestResponse encodedNow = fresh.handle(new RestRequest("GET", "/conversations", query,
                        issuer.idToken(user), null));
                assertEquals(encodedNow.body(), kept.body(), "a kept answer is byte for byte a fresh one");
                assertEquals(encodedNow.etag(), kept.etag(), "and the tag is the body's: the same on every node");
            }
        }
    }

    @Test
    void aListKeptByOneApiIsNotServedStaleAfterAChangeThroughAnother() {
        // Two nodes: two assemblies of the core and the protocol on one store, nothing between them.
        RestApi nodeOne = new RestApi(ChatCore.create(core.conversations, core.deliveries, core.clock), core.presence,
                issuer.verifier(Optional.empty()));
        Chat chatOnTwo = ChatCore.create(core.conversations, core.deliveries, core.clock);
        UUID withBob = chatOnTwo.createConversation("alice", new CreateConversation(List.of("bob"), false, null)).id();
        chatOnTwo.send("bob", new SendMessage("t1", withBob, "first"));
        RestResponse kept = conditionalGet(nodeOne, "alice", "/conversations", Map.of(), null);
        assertEquals("first", ok(kept).get(0).get("latestContent").asText());

        chatOnTwo.send("bob", new SendMessage("t2", withBob, "second"));
        RestResponse afterSend = conditionalGet(nodeOne, "alice", "/conversations", Map.of(), kept.etag());
        assertEquals(200, afterSend.status());
        assertEquals("second", ok(afterSend).get(0).get("latestContent").asText());
        assertEquals(2, ok(afterSend).get(0).get("unreadCount").asInt());

        chatOnTwo.read("alice", withBob);
        JsonNode afterRead = ok(conditionalGet(nodeOne, "alice", "/conversations", Map.of(), afterSend.etag()));
        assertEquals(0, afterRead.get(0).get("unreadCount").asInt());
        assertEquals("[]", conditionalGet(nodeOne, "alice", "/conversations", Map.of("isRead", "false"), null).body());
    }

    @Test
    void anUnchangedListIsAnsweredWithoutReadingItAgain() {
        CountingStore counting = new CountingStore(core.conversations);
        RestApi counted = new RestApi(ChatCore.create(counting.store, core.deliveries, core.clock), core.presence,
                issuer.verifier(Optional.empty()));
        UUID withBob = direct("alice", "bob");
        send("bob", withBob, "hi alice");

        String body = conditionalGet(counted, "alice", "/conversations", Map.of(), null).body();
        for (int i = 0; i < 5; i++) {
            assertEquals(body, conditionalGet(counted, "alice", "/conversations", Map.of(), null).body());
        }
        assertEquals(1, counting.calls("activityOf"), "read once, then answered from the kept list");
        assertEquals(6, counting.calls("listVersion"), "its version checked on every request");

        send("bob", withBob, "again");
        conditionalGet(counted, "alice", "/conversations", Map.of(), null);
        assertEquals(2, counting.calls("activityOf"), "read again after a change");
    }

    @Test
    void authenticationAndTheRateLimitComeBeforeAKeptList() {
        RestApi limited = new RestApi(core.chat, core.presence, new RestRateLimit(issuer.verifier(Optional.empty()),
                new UserBuckets(new FloodControl(2, 0.001), core.clock)));
        UUID withBob = direct("alice", "bob");
        send("bob", withBob, "hi alice");
        RestResponse first = conditionalGet(limited, "alice", "/conversations", Map.of(), null);
        assertEquals(200, first.status());

        RestResponse anonymous = limited.handle(new RestRequest("GET", "/conversations", Map.of(), null, null,
                first.etag()));
        assertError(401, "", anonymous);
        assertEquals(null, anonymous.etag());
        assertEquals(304, conditionalGet(limited, "alice", "/conversations", Map.of(), first.etag()).status());
        RestResponse limitedOut = conditionalGet(limited, "alice", "/conversations", Map.of(), first.etag());
        assertError(429, "Too many requests", limitedOut);
        assertEquals(null, limitedOut.etag());
    }

    @Test
    void aMessagePageCarriesTheTagOfItsBody() {
        UUID withBob = direct("alice", "bob");
        send("bob", withBob, "one");
        String path = "/conversations/" + withBob + "/messages";
        RestResponse page = get("alice", path);
        assertEquals(200, page.status());
        assertEquals(304, conditionalGet(api, "alice", path, Map.of(), page.etag()).status());
        assertEquals("", conditionalGet(api, "alice", path, Map.of(), page.etag()).body());
        send("bob", withBob, "two");
        RestResponse changed = conditionalGet(api, "alice", path, Map.of(), page.etag());
        assertEquals(200, changed.status());
        assertEquals(2, ok(changed).size());
        assertEquals(null, get("alice", "/conversations/" + withBob).etag(), "other routes carry none");
    }

    /** A real store, its calls counted by method name. */
    private static final class CountingStore {
        final Map<String, Integer> counts = new HashMap<>();
        final ConversationStore store;

        CountingStore(ConversationStore real) {
            this.store = (ConversationStore) Proxy.newProxyInstance(RestApiTest.class.getClassLoader(),
                    new Class<?>[] {ConversationStore.class}, (proxy, method, args) -> {
                        synchronized (counts) {
                            counts.merge(method.getName(), 1, Integer::sum);
                        }
                        try {
                            return method.invoke(real, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }

        int calls(String method) {
            synchronized (counts) {
                return counts.getOrDefault(method, 0);
            }
        }
    }

    /** A store whose every call fails, as one does when its server is down. */
    static ConversationStore failingStore(RuntimeException failure) {
        return (ConversationStore) Proxy.newProxyInstance(RestApiTest.class.getClassLoader(),
                new Class<?>[] {ConversationStore.class}, (proxy, method, args) -> {
                    throw failure;
                });
    }
}
