package io.pagenow.javalin;

import ch.qos.logback.classic.pattern.Abbreviator;
import ch.qos.logback.classic.pattern.TargetLengthBasedClassNameAbbreviator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.LayoutBase;
import org.slf4j.event.KeyValuePair;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * One logfmt line per event, whatever it holds: {@code msg}, every key=value pair and a stack
 * trace ({@code exception}) are escaped, so a quote or a newline in a value can neither break the
 * line nor start a forged one. Values are what the code logs (ids, counts, class names), never a
 * client's text, but an exception's text or a store's address may still hold anything.
 */
public final class LogfmtLayout extends LayoutBase<ILoggingEvent> {

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSX").withZone(ZoneOffset.UTC);

    private final Abbreviator logger = new TargetLengthBasedClassNameAbbreviator(24);

    @Override
    public String doLayout(ILoggingEvent event) {
        StringBuilder line = new StringBuilder(160);
        line.append(TIME.format(event.getInstant()))
                .append(" level=").append(event.getLevel())
                .append(" logger=");
        value(line, logger.abbreviate(event.getLoggerName()));
        line.append(" thread=");
        value(line, event.getThreadName());
        line.append(" msg=");
        quoted(line, event.getFormattedMessage());
        if (event.getKeyValuePairs() != null) {
            for (KeyValuePair pair : event.getKeyValuePairs()) {
                line.append(' ');
                value(line, pair.key);
                line.append('=');
                value(line, String.valueOf(pair.value));
            }
        }
        IThrowableProxy failure = event.getThrowableProxy();
        if (failure != null) {
            line.append(" exception=");
            quoted(line, ThrowableProxyUtil.asString(failure));
        }
        return line.append('\n').toString();
    }

    /** Bare when it is one plain token, else quoted. */
    static void value(StringBuilder line, String value) {
        if (value == null || value.isEmpty()) {
            line.append("\"\"");
            return;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c <= ' ' || c == '"' || c == '=' || c == '\\' || Character.isISOControl(c)) {
                quoted(line, value);
                return;
            }
        }
        line.append(value);
    }

    static void quoted(StringBuilder line, String value) {
        line.append('"');
        String text = value == null ? "" : value;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> line.append("\\\"");
                case '\\' -> line.append("\\\\");
                case '\n' -> line.append("\\n");
                case '\r' -> line.append("\\r");
                case '\t' -> line.append("\\t");
                default -> {
                    if (Character.isISOControl(c) || Character.isSurrogate(c) && !pairedAt(text, i)) {
                        line.append(String.format("\\u%04x", (int) c));
                    } else {
                        line.append(c);
                    }
                }
            }
        }
        line.append('"');
    }

    private static boolean pairedAt(String text, int i) {
        char c = text.charAt(i);
        return Character.isHighSurrogate(c) ? i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))
                : i > 0 && Character.isHighSurrogate(text.charAt(i - 1));
    }
}
