package io.pagenow.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The presence timeout sweep, run by an EventBridge rule every minute: users with no heartbeat or
 * update for the timeout go offline and their friends get {@code presence-timeout}. Safe when two
 * runs overlap: the store hands each timed-out user to one of them.
 */
public final class PresenceSweepHandler implements RequestStreamHandler {

    private static final Logger LOG = LoggerFactory.getLogger(PresenceSweepHandler.class);

    private final LambdaContainer container;

    /** The constructor the Lambda runtime calls, once per container. */
    public PresenceSweepHandler() {
        this(LambdaContainer.instance());
    }

    PresenceSweepHandler(LambdaContainer container) {
        this.container = container;
        container.preparePushes();
    }

    /**
     * Answers how many users this run took offline, as a JSON number. The scheduled event itself
     * is not read: every run does the same, whatever its time or rule.
     *
     * @throws io.pagenow.core.error.StoreUnavailableException when Redis cannot be reached, so the
     *         invocation counts as failed (the next minute's run catches up)
     */
    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        try {
            int offline = container.presence().sweep();
            LOG.info("presence sweep: {} user(s) offline", offline);
            output.write(Integer.toString(offline).getBytes(StandardCharsets.US_ASCII));
        } finally {
            container.metrics().flush();
        }
    }
}
