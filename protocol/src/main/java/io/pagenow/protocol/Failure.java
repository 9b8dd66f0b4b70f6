package io.pagenow.protocol;

import io.pagenow.core.error.PageNowException;
import io.pagenow.core.error.StoreUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;

/**
 * What a client is told when something fails: the HTTP status (REST) or {@code code} (error event)
 * and a message. The one place that maps exceptions, so every transport answers alike.
 */
public record Failure(int status, String message) {

    private static final Logger LOG = LoggerFactory.getLogger(Failure.class);
    private static final ThrottledLog THROTTLE = new ThrottledLog(ThrottledLog.INTERVAL, Clock.systemUTC());

    static final String UNAVAILABLE = "Service temporarily unavailable, please retry";
    static final String INTERNAL = "Internal server error";

    /**
     * Expected failures carry their own status and message; infrastructure failures become 503 and
     * anything else 500, both with a fixed message, since their details are for the server's logs.
     */
    public static Failure of(Throwable failure) {
        if (failure instanceof PageNowException expected) {
            return new Failure(expected.status(), expected.getMessage());
        }
        if (failure instanceof UnauthorizedException unauthorized) {
            return new Failure(401, unauthorized.getMessage());
        }
        if (failure instanceof StoreUnavailableException unavailable) {
            // The cause may quote SQL parameters, message contents among them: log its type only.
            Throwable cause = unavailable.getCause();
            String causeType = cause == null ? "" : cause.getClass().getName();
            long count = THROTTLE.count("unavailable " + unavailable.getMessage() + " " + causeType);
            if (count > 0) {
                LOG.atWarn().addKeyValue("store", unavailable.getMessage()).addKeyValue("cause", causeType)
                        .addKeyValue("count", count).log("store unavailable, answered 503");
            }
            return new Failure(503, UNAVAILABLE);
        }
        if (failure instanceof NotReadyException notReady) {
            long count = THROTTLE.count("not ready " + notReady.getMessage());
            if (count > 0) {
                LOG.atWarn().addKeyValue("part", notReady.getMessage()).addKeyValue("count", count)
                        .log("not ready, answered 503");
            }
            return new Failure(503, UNAVAILABLE);
        }
        long count = THROTTLE.count("unexpected " + failure.getClass().getName());
        if (count > 0) {
            LOG.atError().addKeyValue("count", count).setCause(Redacted.of(failure)).log("Unexpected failure");
        }
        return new Failure(500, INTERNAL);
    }
}
