package io.pagenow.lambda;

import java.time.Clock;
import java.util.Optional;

/**
 * Counts of the Management API's answers as CloudWatch Embedded Metric Format: one JSON line on
 * stdout per invocation that pushed, which CloudWatch turns into the metrics PushesDelivered,
 * PushesGone (410: the connection was gone and is forgotten) and PushesFailed (anything else, the
 * frame is lost for that connection) in the namespace PageNow, by function. No alarm needs a log
 * query, and no client library is loaded for it.
 */
final class PushMetrics {

    static final String NAMESPACE = "PageNow";

    private final String functionName;
    private final ApiGatewayClientPush push;
    private final Clock clock;
    private long delivered;
    private long gone;
    private long failed;

    PushMetrics(String functionName, ApiGatewayClientPush push, Clock clock) {
        this.functionName = functionName;
        this.push = push;
        this.clock = clock;
    }

    /**
     * Writes what this invocation's pushes came to on stdout (not through the logger: CloudWatch
     * reads EMF only from a log event that is the JSON itself).
     */
    void flush() {
        sinceLast().ifPresent(System.out::println);
    }

    /** The EMF line for what the pushes counted since the last call, or empty when they did nothing. */
    synchronized Optional<String> sinceLast() {
        long timestampMillis = clock.millis();
        long newDelivered = push.delivered() - delivered;
        long newGone = push.gone() - gone;
        long newFailed = push.failed() - failed;
        delivered = push.delivered();
        gone = push.gone();
        failed = push.failed();
        if (newDelivered == 0 && newGone == 0 && newFailed == 0) {
            return Optional.empty();
        }
        return Optional.of("{\"_aws\":{\"Timestamp\":" + timestampMillis + ",\"CloudWatchMetrics\":[{\"Namespace\":\""
                + NAMESPACE + "\",\"Dimensions\":[[\"FunctionName\"]],\"Metrics\":["
                + "{\"Name\":\"PushesDelivered\",\"Unit\":\"Count\"},{\"Name\":\"PushesGone\",\"Unit\":\"Count\"},"
                + "{\"Name\":\"PushesFailed\",\"Unit\":\"Count\"}]}]},\"FunctionName\":\"" + jsonSafe(functionName)
                + "\",\"PushesDelivered\":" + newDelivered + ",\"PushesGone\":" + newGone + ",\"PushesFailed\":"
                + newFailed + "}");
    }

    /** Function names are [a-zA-Z0-9-_]; anything else is dropped rather than escaped. */
    private static String jsonSafe(String name) {
        return name.replaceAll("[^A-Za-z0-9_:.-]", "");
    }
}
