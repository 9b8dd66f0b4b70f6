package io.pagenow.protocol;

import io.pagenow.core.error.PageNowException;
import io.pagenow.core.error.StoreUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a client is told when something fails: the HTTP status (REST) or {@code code} (error event)
 * and a message. The one place that maps exceptions, so every transport answers alike.
 */
public record Failure(int status, String message) {

    private static final Logger LOG = LoggerFactory.getLogger(Failure.class);

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
            LOG.warn("{}: {}", unavailable.getMessage(), cause == null ? "" : cause.getClass().getName());
            return new Failure(503, UNAVAILABLE);
        }
        LOG.error("Unexpected failure", Redacted.of(failure));
        return new Failure(500, INTERNAL);
    }
}
