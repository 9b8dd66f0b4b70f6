package io.pagenow.protocol;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import io.pagenow.core.error.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class FailureTest {

    @Test
    void anUnexpectedFailureIsLoggedWithItsClassesAndFramesButNoMessage() {
        Logger logger = (Logger) LoggerFactory.getLogger(Failure.class);
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        logger.addAppender(captured);
        // A class of its own: unexpected failures are logged once per class per interval.
        SecretQuotingFailure failure = new SecretQuotingFailure("statement failed, arguments: secret-4711",
                new SQLException("ERROR: invalid byte sequence, parameter $3 = 'secret-4711'"));
        try {
            assertEquals(new Failure(500, "Internal server error"), Failure.of(failure));
        } finally {
            logger.detachAppender(captured);
        }
        assertEquals(1, captured.list.size());
        IThrowableProxy logged = captured.list.get(0).getThrowableProxy();
        assertEquals(SecretQuotingFailure.class.getName(), logged.getMessage());
        assertEquals(SQLException.class.getName(), logged.getCause().getMessage());
        assertEquals(failure.getStackTrace().length, logged.getStackTraceElementProxyArray().length, "frames kept");
        for (IThrowableProxy t = logged; t != null; t = t.getCause()) {
            assertFalse(t.getMessage().contains("secret"), t.getMessage());
        }
    }

    private static final class SecretQuotingFailure extends RuntimeException {
        SecretQuotingFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    @Test
    void anExpectedFailureKeepsItsMessage() {
        assertEquals(new Failure(400, "Missing 'x'"), Failure.of(InvalidInputException.missing("x")));
    }

    @Test
    void aPartNotReadyIsThe503OfAnOutageButLoggedAsWhatItIs() {
        Logger logger = (Logger) LoggerFactory.getLogger(Failure.class);
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        logger.addAppender(captured);
        try {
            assertEquals(new Failure(503, "Service temporarily unavailable, please retry"),
                    Failure.of(new NotReadyException("server (not serving) " + System.nanoTime())));
        } finally {
            logger.detachAppender(captured);
        }
        assertEquals(1, captured.list.size());
        assertEquals("not ready, answered 503", captured.list.get(0).getFormattedMessage());
    }
}
