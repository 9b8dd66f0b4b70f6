package io.pagenow.lambda;

import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.LambdaRuntime;
import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Logger;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * SLF4J's lines written through the Lambda runtime's own logger ({@link LambdaRuntime#getLogger()}),
 * which, with the template's {@code LoggingConfig: LogFormat: JSON}, writes each as one JSON object
 * with its level, timestamp and {@code AWSRequestId}, and drops those below the function's
 * {@code ApplicationLogLevel}. A logger of its own rather than log4j2 with AWS's appender or
 * logback: either costs a cold start hundreds of milliseconds of classes and configuration, and
 * this is all that is needed of them.
 */
public final class LambdaLogProvider implements SLF4JServiceProvider {

    /** Chatty below WARN, and nothing a deployer acts on. */
    private static final Map<String, Level> QUIET = Map.of("software.amazon.awssdk", Level.WARN,
            "com.zaxxer.hikari", Level.WARN);

    private final IMarkerFactory markers = new BasicMarkerFactory();
    private final MDCAdapter mdc = new NOPMDCAdapter();
    /**
     * INFO and above reach the runtime's logger, which drops what is below the function's
     * ApplicationLogLevel itself; DEBUG and TRACE lines are not even formatted.
     */
    private final Level threshold = Level.INFO;
    private final ILoggerFactory factory = new ILoggerFactory() {
        private final Map<String, Logger> loggers = new ConcurrentHashMap<>();

        @Override
        public Logger getLogger(String name) {
            return loggers.computeIfAbsent(name, n -> new RuntimeLogger(n, levelOf(n)));
        }
    };

    @Override
    public ILoggerFactory getLoggerFactory() {
        return factory;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markers;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }

    @Override
    public String getRequestedApiVersion() {
        return "2.0.99";
    }

    @Override
    public void initialize() {
    }

    private Level levelOf(String name) {
        return QUIET.entrySet().stream()
                .filter(e -> name.startsWith(e.getKey()) && e.getValue().toInt() > threshold.toInt())
                .map(Map.Entry::getValue).findFirst().orElse(threshold);
    }

    private static final class RuntimeLogger extends LegacyAbstractLogger {

        private static final long serialVersionUID = 1L;
        private final String shortName;
        private final int threshold;

        RuntimeLogger(String name, Level threshold) {
            this.name = name;
            this.shortName = name.substring(name.lastIndexOf('.') + 1);
            this.threshold = threshold.toInt();
        }

        @Override
        public boolean isTraceEnabled() {
            return Level.TRACE.toInt() >= threshold;
        }

        @Override
        public boolean isDebugEnabled() {
            return Level.DEBUG.toInt() >= threshold;
        }

        @Override
        public boolean isInfoEnabled() {
            return Level.INFO.toInt() >= threshold;
        }

        @Override
        public boolean isWarnEnabled() {
            return Level.WARN.toInt() >= threshold;
        }

        @Override
        public boolean isErrorEnabled() {
            return Level.ERROR.toInt() >= threshold;
        }

        @Override
        protected String getFullyQualifiedCallerName() {
            return null;
        }

        @Override
        protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] arguments,
                                                   Throwable throwable) {
            StringBuilder line = new StringBuilder(shortName).append(" - ")
                    .append(MessageFormatter.basicArrayFormat(pattern, arguments));
            if (throwable != null) {
                StringWriter trace = new StringWriter();
                throwable.printStackTrace(new PrintWriter(trace));
                line.append('\n').append(trace);
            }
            LambdaLogger logger = LambdaRuntime.getLogger();
            if (logger.getClass().getName().startsWith(LambdaRuntime.class.getName() + "$")) {
                // No runtime client (tests, tools): the default logger would run lines together.
                System.out.println("[" + level + "] " + line);
            } else {
                logger.log(line.toString(), LogLevel.valueOf(level.name()));
            }
        }
    }
}
