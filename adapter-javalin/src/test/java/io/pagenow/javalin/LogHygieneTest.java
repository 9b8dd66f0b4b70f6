package io.pagenow.javalin;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.util.List;

import static io.pagenow.javalin.TestServer.ok;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Logs, even at DEBUG, carry neither tokens nor message contents. */
class LogHygieneTest {

    @Test
    void tokensAndMessageContentsNeverReachTheLogs() {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Logger ours = (Logger) LoggerFactory.getLogger("io.pagenow");
        Level previous = ours.getLevel();
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        root.addAppender(captured);
        ours.setLevel(Level.DEBUG);
        String secret = "the-secret-content-4711";
        String token;
        try (TestServer server = TestServer.start()) {
            token = server.token("alice");
            TestSocket chat = server.connect("/chat", token);
            String id = ok(server.post("/conversation", token, "{\"recipientIdArr\":[\"bob\"],\"isGroup\":false}"))
                    .get("conversationId").asText();
            chat.send("{\"action\":\"send-message\",\"tempMessageId\":\"t\",\"conversationId\":\"" + id
                    + "\",\"content\":\"" + secret + "\"}");
            chat.next("new-message");
            chat.send("{\"action\":\"send-message\",\"tempMessageId\":\"t2\",\"conversationId\":\"" + id
                    + "\",\"content\":\"" + secret + "\",\"oops\":}");
            chat.next("error");
            server.get("/conversations", token + "tampered");
            server.refusedUpgrade("/presence", token + "tampered");
        } finally {
            ours.setLevel(previous);
            root.detachAppender(captured);
        }
        List<ILoggingEvent> events = captured.list;
        assertTrue(events.stream().anyMatch(e -> e.getFormattedMessage().equals("socket opened")),
                "the capture works");
        String signature = token.substring(token.lastIndexOf('.') + 1);
        for (ILoggingEvent event : events) {
            String text = render(event);
            assertFalse(text.contains(secret), "message content logged: " + text);
            assertFalse(text.contains(signature), "token logged: " + text);
        }
    }

    private static String render(ILoggingEvent event) {
        StringBuilder text = new StringBuilder(event.getFormattedMessage());
        if (event.getKeyValuePairs() != null) {
            event.getKeyValuePairs().forEach(pair -> text.append(' ').append(pair.key).append('=').append(pair.value));
        }
        for (IThrowableProxy cause = event.getThrowableProxy(); cause != null; cause = cause.getCause()) {
            text.append(' ').append(cause.getMessage());
        }
        return text.toString();
    }
}
