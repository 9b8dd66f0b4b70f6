package io.pagenow.javalin;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxy;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.event.KeyValuePair;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every log line in one format, escaped; LOG_FORMAT=json for JSON lines; JUL bridged into SLF4J. */
class LogFormatTest {

    private static ILoggingEvent event(String message, Throwable failure, KeyValuePair... pairs) {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
        LoggingEvent event = new LoggingEvent("x", context.getLogger("io.pagenow.postgres.CachedSocialGraph"),
                Level.WARN, message, failure, null);
        event.setInstant(Instant.parse("2026-12-02T11:00:00.123Z"));
        event.setThreadName("refresh 1");
        for (KeyValuePair pair : pairs) {
            event.addKeyValuePair(pair);
        }
        return event;
    }

    @Test
    void quotesNewlinesAndStackTracesStayOnOneEscapedLine() {
        LogfmtLayout layout = new LogfmtLayout();
        String line = layout.doLayout(event("a \"quoted\" msg\n2026-12-02T11:00:00.000Z level=ERROR msg=\"FORGED\"",
                new IllegalStateException("boom\nline two"), new KeyValuePair("cause", "java.io.IOException: \"x\" = y"),
                new KeyValuePair("count", 3)));
        assertEquals(1, line.lines().count(), line);
        assertTrue(line.startsWith("2026-12-02T11:00:00.123Z level=WARN logger=i.p.p.CachedSocialGraph"
                + " thread=\"refresh 1\" msg=\"a \\\"quoted\\\" msg\\n2026-12-02T11:00:00.000Z level=ERROR"
                + " msg=\\\"FORGED\\\"\" cause=\"java.io.IOException: \\\"x\\\" = y\" count=3 exception=\""
                + "java.lang.IllegalStateException: boom\\nline two\\n\\tat "), line);
        assertTrue(line.endsWith("\"\n"), line);
        String control = layout.doLayout(event("nul \u0000 esc \u001b lone \ud800 pair \ud83d\ude00", null));
        assertTrue(control.contains("msg=\"nul \\u0000 esc \\u001b lone \\ud800 pair \ud83d\ude00\""), control);
    }

    @Test
    void theServersConfigurationWritesLogfmtOrWithLogFormatJsonJsonLines() throws Exception {
        for (String format : List.of("logfmt", "json")) {
            LoggerContext context = new LoggerContext();
            try {
                context.putProperty("LOG_FORMAT", format);
                JoranConfigurator configurator = new JoranConfigurator();
                configurator.setContext(context);
                configurator.doConfigure(PageNowServer.class.getResource("/logback.xml"));
                var async = (ch.qos.logback.classic.AsyncAppender) context.getLogger(
                        org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender("ASYNC");
                ConsoleAppender<ILoggingEvent> console = assertInstanceOf(ConsoleAppender.class,
                        async.getAppender("STDOUT"));
                LogEncoder encoder = assertInstanceOf(LogEncoder.class, console.getEncoder());
                String line = new String(encoder.encode(event("a \"msg\"\nFORGED", null,
                        new KeyValuePair("cause", "x\ny"))), java.nio.charset.StandardCharsets.UTF_8);
                assertEquals(1, line.lines().count(), line);
                if (format.equals("json")) {
                    assertInstanceOf(JsonEncoder.class, encoder.delegate());
                    assertEquals("a \"msg\"\nFORGED", TestServer.json(line).get("formattedMessage").asText(), line);
                } else {
                    assertTrue(line.contains(" msg=\"a \\\"msg\\\"\\nFORGED\" cause=\"x\\ny\""), line);
                }
                assertTrue(context.getStatusManager().getCopyOfStatusList().stream().allMatch(s -> s.getLevel() == 0),
                        "no warning or error while configuring");
            } finally {
                context.stop();
            }
        }
    }

    @Test
    void javaUtilLoggingReachesSlf4j() {
        Main.bridgeJavaUtilLogging();
        Logger caffeine = (Logger) LoggerFactory.getLogger("com.github.benmanes.caffeine.cache.LocalAsyncCache");
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        caffeine.addAppender(captured);
        try {
            System.getLogger("com.github.benmanes.caffeine.cache.LocalAsyncCache")
                    .log(System.Logger.Level.WARNING, "Exception thrown during refresh", new IllegalStateException());
        } finally {
            caffeine.detachAppender(captured);
        }
        assertEquals(1, captured.list.size());
        assertEquals(Level.WARN, captured.list.get(0).getLevel());
        assertEquals("Exception thrown during refresh", captured.list.get(0).getFormattedMessage());
        assertInstanceOf(ThrowableProxy.class, captured.list.get(0).getThrowableProxy());
    }
}
