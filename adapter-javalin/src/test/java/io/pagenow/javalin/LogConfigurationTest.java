package io.pagenow.javalin;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

import java.net.URL;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The server's own logback.xml (tests log through logback-test.xml), read as the server reads it. */
class LogConfigurationTest {

    @Test
    void eventsAreQueuedForOneWriterAndOnlyLowLevelsAreEverDropped() throws Exception {
        URL config = PageNowServer.class.getResource("/logback.xml");
        assertNotNull(config);
        LoggerContext context = new LoggerContext();
        try {
            JoranConfigurator configurator = new JoranConfigurator();
            configurator.setContext(context);
            configurator.doConfigure(config);
            Appender<ILoggingEvent> root = context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("ASYNC");
            AsyncAppender async = assertInstanceOf(AsyncAppender.class, root);
            assertTrue(async.isStarted());
            assertFalse(async.isNeverBlock(), "WARN and ERROR wait for room rather than being dropped");
            assertTrue(async.getDiscardingThreshold() > 0, "TRACE..INFO are dropped when the queue fills");
            assertNotNull(async.getAppender("STDOUT"));
            assertEquals(Level.INFO, context.getLogger("io.pagenow").getLevel());
            assertFalse(context.getLogger("io.pagenow").isDebugEnabled(), "socket opened/closed are DEBUG lines");
        } finally {
            context.stop();
        }
    }
}
