package io.pagenow.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The presence timeout sweep, run by an EventBridge rule every minute: users with no heartbeat or
 * update for the timeout go offline and their friends get {@code presence-timeout}. Safe when two
 * runs overlap: the store hands each timed-out user to one of them.
 */
public final class PresenceSweepHandler implements RequestHandler<ScheduledEvent, Integer> {

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
     * @return how many users this run took offline
     * @throws io.pagenow.core.error.StoreUnavailableException when Redis cannot be reached, so the
     *         invocation counts as failed (the next minute's run catches up)
     */
    @Override
    public Integer handleRequest(ScheduledEvent event, Context context) {
        try {
            int offline = container.presence().sweep();
            LOG.info("presence sweep: {} user(s) offline", offline);
            return offline;
        } finally {
            container.flushMetrics();
        }
    }
}
