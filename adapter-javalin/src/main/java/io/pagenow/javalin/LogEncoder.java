package io.pagenow.javalin;

import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.EncoderBase;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;

import java.util.Locale;

/**
 * The console's encoder, in the format {@code LOG_FORMAT} names: {@code logfmt} (the default,
 * {@link LogfmtLayout}) or {@code json} (logback's JSON lines, without the raw message and its
 * arguments: only the formatted message, as in logfmt). One encoder choosing, rather than an
 * appender per format, so the configuration has no unreferenced appender to warn about.
 */
public final class LogEncoder extends EncoderBase<ILoggingEvent> {

    private String format = "logfmt";
    private Encoder<ILoggingEvent> delegate;

    public void setFormat(String format) {
        this.format = format;
    }

    @Override
    public void start() {
        switch (format.strip().toLowerCase(Locale.ROOT)) {
            case "json" -> {
                JsonEncoder json = new JsonEncoder();
                json.setWithFormattedMessage(true);
                json.setWithMessage(false);
                json.setWithArguments(false);
                json.setWithContext(false);
                delegate = json;
            }
            case "logfmt" -> delegate = logfmt();
            default -> {
                addError("LOG_FORMAT must be logfmt or json, was '" + format + "'; writing logfmt");
                delegate = logfmt();
            }
        }
        delegate.setContext(getContext());
        delegate.start();
        super.start();
    }

    private Encoder<ILoggingEvent> logfmt() {
        LogfmtLayout layout = new LogfmtLayout();
        layout.setContext(getContext());
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setLayout(layout);
        return encoder;
    }

    /** The encoder writing the lines, for tests. */
    Encoder<ILoggingEvent> delegate() {
        return delegate;
    }

    @Override
    public byte[] headerBytes() {
        return delegate.headerBytes();
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        return delegate.encode(event);
    }

    @Override
    public byte[] footerBytes() {
        return delegate.footerBytes();
    }

    @Override
    public void stop() {
        delegate.stop();
        super.stop();
    }
}
