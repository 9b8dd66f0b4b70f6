package io.pagenow.javalin;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.pagenow.db.testing.TestSchema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static io.pagenow.javalin.TestServer.error;
import static io.pagenow.javalin.TestServer.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a hostile client sends, over real sockets and HTTP, to a server on real PostgreSQL and Redis:
 * control characters, NUL and lone surrogates in contents, titles and ids, forged log lines, JSON
 * built to trip the parser's limits, a path Jetty itself refuses. Each gets its exact answer (an
 * {@code error} event or JSON body naming the field), the socket stays open, no row is added, and
 * the captured log holds none of the injected markers and stays a few lines long.
 */
class HostileInputTest {

    private static final String MARKER = "hostile-marker-5821";
    private static final String FORGED = "2026-12-02T11:00:00.000Z level=ERROR logger=forged msg=\\\"FORGED-LINE-5821\\\"";
    private static TestSchema schema;

    private String prefix;
    private TestServer server;
    private ListAppender<ILoggingEvent> log;
    private String alice;
    private String conversationId;

    @BeforeAll
    static void createSchema() {
        schema = LiveStores.seededSchema("hostile");
    }

    @AfterAll
    static void dropSchema() {
        schema.close();
    }

    @BeforeEach
    void start() {
        prefix = LiveStores.freshRedisPrefix();
        server = TestServer.start(LiveStores.both(schema, prefix, "node-hostile"));
        server.awaitReady();
        alice = server.token("alice");
        conversationId = ok(server.post("/conversation", alice,
                "{\"recipientIdArr\":[\"bob\",\"carol\"],\"isGroup\":true,\"title\":\"Plans\"}"))
                .get("conversationId").asText();
        log = new ListAppender<>();
        log.start();
        root().addAppender(log);
    }

    @AfterEach
    void stop() {
        root().detachAppender(log);
        server.close();
        LiveStores.deleteRedisKeys(prefix);
    }

    private static Logger root() {
        return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    private String conversation() {
        return "\"conversationId\":\"" + conversationId + "\"";
    }

    @Test
    void controlCharactersAndLoneSurrogatesInSocketFramesAre400NamingTheField() {
        TestSocket chat = server.connect("/chat", alice);
        long[] before = rows();
        for (String bad : List.of("\\u0000", "\\u0007", "\\u001b[31m", "\\r", "\\u007f", "\\u0085", "\\ud800",
                "\\udc00x", "x\\ud83d")) {
            chat.send("{\"action\":\"send-message\",\"tempMessageId\":\"t\"," + conversation() + ",\"content\":\"" + MARKER
                    + " " + bad + " " + MARKER + "\"}");
            JsonNode refused = chat.next("error");
            assertEquals("{\"type\":\"error\",\"action\":\"send-message\",\"code\":400,\"message\":\"'content' must not"
                    + " contain control characters (other than tab and newline) or unpaired surrogates\","
                    + "\"tempMessageId\":\"t\"}", refused.toString(), bad);
        }
        chat.send("{\"action\":\"send-message\",\"tempMessageId\":\"" + MARKER + "\\u0000\"," + conversation()
                + ",\"content\":\"fine\"}");
        JsonNode badId = chat.next("error");
        assertEquals(400, badId.get("code").asInt());
        assertTrue(badId.get("message").asText().startsWith("'tempMessageId' must not contain control characters"),
                badId.toString());
        assertTrue(chat.isOpen());
        assertEquals(before[0], rows()[0], "no message stored");

        TestSocket presence = server.connect("/presence", server.token("carol"));
        presence.drain();
        presence.send("{\"action\":\"update-presence\",\"url\":\"https://example.com/\",\"title\":\"" + MARKER
                + "\\u0000\"}");
        JsonNode badTitle = presence.next("error");
        assertEquals(400, badTitle.get("code").asInt());
        assertTrue(badTitle.get("message").asText().startsWith("'title' must not contain control characters"),
                badTitle.toString());
        presence.send("{\"action\":\"update-presence\",\"url\":\"https://example.com/" + MARKER + "\\u0001\","
                + "\"title\":\"x\"}");
        assertTrue(presence.next("error").get("message").asText().startsWith("'url' must not contain control"));
        assertTrue(presence.isOpen());
        assertEquals("{\"url\":\"\",\"title\":\"\"}", ok(server.get("/presence/carol", alice)).toString(),
                "online, on no page: nothing was stored");

        chat.send("{\"action\":\"send-message\",\"tempMessageId\":\"ok\"," + conversation()
                + ",\"content\":\"tab\\tand\\nnewline are fine\"}");
        assertEquals("tab\tand\nnewline are fine", chat.next("new-message").get("content").asText());
        assertEquals(before[0] + 1, rows()[0]);
        assertCleanLog();
    }

    @Test
    void aForgedLogLineInContentIsStoredAsTextAndNeverReachesTheLog() {
        TestSocket chat = server.connect("/chat", alice);
        for (int i = 0; i < 30; i++) {
            chat.send("{\"action\":\"send-message\",\"tempMessageId\":\"f" + i + "\"," + conversation()
                    + ",\"content\":\"" + MARKER + "\\n" + FORGED + "\"}");
            chat.next("new-message");
        }
        assertCleanLog();
    }

    @Test
    void restBodiesAndPathsWithControlCharactersAre400NamingTheField() {
        long[] before = rows();
        assertEquals("'title' must not contain control characters (other than tab and newline) or unpaired surrogates",
                error(400, server.post("/conversation", alice, "{\"recipientIdArr\":[\"bob\",\"carol\"],\"isGroup\":true,"
                        + "\"title\":\"" + MARKER + "\\u0000\"}")));
        assertTrue(error(400, server.post("/conversation", alice, "{\"recipientIdArr\":[\"bob\",\"" + MARKER
                + "\\u0000\"],\"isGroup\":true,\"title\":\"x\"}")).startsWith("'recipientIdArr' must not contain control"));
        assertTrue(error(400, server.post("/conversation", alice, "{\"recipientIdArr\":[\"" + MARKER
                + "\\ud800\"],\"isGroup\":false}")).startsWith("'recipientIdArr' must not contain control"));
        assertTrue(error(400, server.get("/conversation/direct/bo%01b", alice)).startsWith("'userId' must not contain"));
        assertTrue(error(400, server.get("/presence/bo%07b", alice)).startsWith("'userId' must not contain"));
        assertTrue(java.util.Arrays.equals(before, rows()), "nothing stored");
        assertCleanLog();
    }

    @Test
    void groupsAreBoundedAndHoldOnlyKnownUsers() {
        long[] before = rows();
        StringBuilder madeUp = new StringBuilder("\"bob\"");
        for (int i = 0; i < 6_000; i++) {
            madeUp.append(",\"u").append(i).append('"');
        }
        assertEquals("'recipientIdArr' may name at most 99 other users (a group holds at most 100 participants),"
                + " named 6001", error(400, server.post("/conversation", alice, "{\"recipientIdArr\":[" + madeUp
                + "],\"isGroup\":true,\"title\":\"Huge\"}")));
        assertEquals("Unknown users in 'recipientIdArr': mallory, trent", error(404, server.post("/conversation", alice,
                "{\"recipientIdArr\":[\"bob\",\"mallory\",\"carol\",\"trent\"],\"isGroup\":true,\"title\":\"x\"}")));
        assertEquals("Unknown users in 'recipientIdArr': mallory", error(404, server.post("/conversation", alice,
                "{\"recipientIdArr\":[\"mallory\"],\"isGroup\":false}")));
        TestSocket chat = server.connect("/chat", alice);
        chat.send("{\"action\":\"send-message\",\"tempMessageId\":\"t\"," + conversation() + ",\"content\":\"" + MARKER
                + "\"}");
        chat.next("new-message");
        assertEquals(before[0] + 1, rows()[0]);
        assertEquals(before[1], rows()[1], "no conversation created");
        assertEquals(before[2], rows()[2], "no participant added");

        String stranger = server.token("mallory");
        assertEquals("User mallory is not known to the user directory",
                error(403, server.get("/conversations", stranger)));
        error(403, server.get("/presence", stranger));
        assertEquals(403, server.refusedUpgrade("/chat", stranger));
        assertEquals(403, server.refusedUpgrade("/presence", stranger));
        ok(server.post("/conversation", alice, "{\"recipientIdArr\":[\"dave\"],\"isGroup\":false}"));
        assertCleanLog();
    }

    @Test
    void parserLimitsAreExplainedWithoutNamingTheLibrary() {
        String nested = "[".repeat(2000) + "]".repeat(2000);
        String body = error(400, server.post("/conversation", alice, "{\"recipientIdArr\":" + nested + "}"));
        assertTrue(body.startsWith("Malformed JSON body"), body);
        assertFalse(body.contains("StreamReadConstraints") || body.contains("`") || body.contains("jackson"), body);
        TestSocket chat = server.connect("/chat", alice);
        chat.send("{\"action\":\"heartbeat\",\"x\":" + nested + "}");
        String frame = chat.next("error").get("message").asText();
        assertTrue(frame.startsWith("Malformed JSON frame"), frame);
        assertFalse(frame.contains("StreamReadConstraints") || frame.contains("`"), frame);
        assertTrue(chat.isOpen());
        assertCleanLog();
    }

    @Test
    void whatJettyRefusesItselfIsAnsweredWithTheJsonErrorBody() throws IOException {
        for (String path : List.of("/conversations/%00", "/presence/a%00b", "/%2e%2e/%00")) {
            String answer = raw("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: " + alice
                    + "\r\nConnection: close\r\n\r\n");
            String status = answer.substring(0, answer.indexOf("\r\n"));
            assertTrue(status.startsWith("HTTP/1.1 400"), path + ": " + status);
            assertTrue(answer.toLowerCase().contains("content-type: application/json"), path + ": " + answer);
            String json = answer.substring(answer.indexOf("\r\n\r\n") + 4);
            JsonNode body = TestServer.json(json.substring(json.indexOf('{'), json.lastIndexOf('}') + 1));
            assertEquals(1, body.size(), answer);
            assertTrue(body.get("error").isTextual(), answer);
        }
        HttpResponse<String> ok = server.get("/conversations", alice);
        assertEquals(200, ok.statusCode(), "the server still serves");
        assertCleanLog();
    }

    /** One request over a bare socket, so the path reaches the server exactly as written. */
    private String raw(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.server.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Rows of messages, conversations and participants. */
    private static long[] rows() {
        try (Connection c = schema.connect(); Statement s = c.createStatement()) {
            long[] counts = new long[3];
            String[] tables = {"message_table", "conversation_table", "participant_table"};
            for (int i = 0; i < tables.length; i++) {
                try (ResultSet r = s.executeQuery("SELECT count(*) FROM " + tables[i])) {
                    r.next();
                    counts[i] = r.getLong(1);
                }
            }
            return counts;
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    private void assertCleanLog() {
        List<String> lines = new ArrayList<>();
        for (ILoggingEvent event : List.copyOf(log.list)) {
            lines.addAll(render(event).lines().toList());
        }
        for (String line : lines) {
            assertFalse(line.contains(MARKER), "injected content logged: " + line);
            assertFalse(line.contains("FORGED-LINE"), "forged line logged: " + line);
            assertFalse(line.contains("level=ERROR"), "an error logged: " + line);
        }
        assertTrue(lines.size() <= 10, "bounded log, was " + lines.size() + " lines: " + lines);
    }

    /** The event as the console would print it, its exceptions' messages and stack lines included. */
    private static String render(ILoggingEvent event) {
        StringBuilder text = new StringBuilder("level=" + event.getLevel() + " " + event.getFormattedMessage());
        if (event.getKeyValuePairs() != null) {
            event.getKeyValuePairs().forEach(pair -> text.append(' ').append(pair.key).append('=').append(pair.value));
        }
        for (IThrowableProxy cause = event.getThrowableProxy(); cause != null; cause = cause.getCause()) {
            text.append('\n').append(cause.getClassName()).append(": ").append(cause.getMessage());
            for (var frame : cause.getStackTraceElementProxyArray()) {
                text.append('\n').append(frame.getSTEAsString());
            }
        }
        return text.toString();
    }
}
