package io.pagenow.lambda;

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
    private ApiGatewayClientPush counted;
    private long delivered;
    private long gone;
    private long failed;

    PushMetrics(String functionName) {
        this.functionName = functionName;
    }

    /** The EMF line for what {@code push} counted since the last call, or empty when it did nothing. */
    synchronized Optional<String> since(ApiGatewayClientPush push, long timestampMillis) {
        if (push != counted) {
            // A new client after a SnapStart restore counts from zero.
            counted = push;
            delivered = 0;
            gone = 0;
            failed = 0;
        }
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
