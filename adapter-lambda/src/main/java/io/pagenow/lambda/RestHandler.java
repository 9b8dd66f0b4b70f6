package io.pagenow.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.pagenow.protocol.RestRequest;
import io.pagenow.protocol.RestResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Every REST route of docs/protocol.md behind one API Gateway REST API (proxy integration): one function,
 * so one cold start, for the whole API. Routing, authentication, parsing and encoding are the
 * protocol module's {@code RestApi}, the same code the Javalin server runs; this class only
 * translates the event ({@link ApiGatewayJson}) and adds CORS headers.
 */
public final class RestHandler implements RequestStreamHandler {

    private static final Logger LOG = LoggerFactory.getLogger(RestHandler.class);

    /**
     * Before a SnapStart snapshot: a request whose token the verifier refuses (after fetching the
     * issuer's keys), so it is parsed, routed, verified and answered without asking a store.
     */
    private static final byte[] PRIMING_EVENT = ("{\"httpMethod\": \"GET\", \"path\": \"/conversations\","
            + " \"headers\": {\"Authorization\": \"" + Priming.TOKEN + "\", \"Origin\": \"null\"},"
            + " \"multiValueQueryStringParameters\": {\"isRead\": [\"false\"]}, \"body\": null,"
            + " \"isBase64Encoded\": false}").getBytes(StandardCharsets.UTF_8);

    private final LambdaContainer container;

    /** The constructor the Lambda runtime calls, once per container. */
    public RestHandler() {
        this(LambdaContainer.instance());
    }

    RestHandler(LambdaContainer container) {
        this.container = container;
        container.priming().register(RestHandler.class, () -> handleRequest(new ByteArrayInputStream(PRIMING_EVENT),
                OutputStream.nullOutputStream(), null));
    }

    /** Reads an {@code APIGatewayProxyRequestEvent}'s JSON, writes an {@code APIGatewayProxyResponseEvent}'s. */
    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        long started = System.nanoTime();
        RestEvent event = RestEvent.read(input);
        String origin = event.headers().get("Origin");
        if (event.method().equalsIgnoreCase("OPTIONS")) {
            ApiGatewayJson.writeRestAnswer(output, 204, container.cors().preflight(origin), null);
            return;
        }
        RestResponse response = container.rest().handle(new RestRequest(event.method(), event.path(), event.query(),
                event.headers().get("Authorization"), event.body(), event.headers().get("If-None-Match")));
        LOG.info("{} {} -> {} in {} ms", event.method(), response.route(), response.status(),
                (System.nanoTime() - started) / 1_000_000);
        Map<String, String> headers = container.cors().headers(origin);
        if (response.status() == 429) {
            headers.put("Retry-After", String.valueOf(container.config().limits().restRetryAfterSeconds()));
        }
        if (response.etag() != null) {
            headers.put("ETag", response.etag());
            headers.put("Cache-Control", RestResponse.REVALIDATE);
        }
        if (response.notModified()) {
            ApiGatewayJson.writeRestAnswer(output, response.status(), headers, null);
            return;
        }
        headers.put("Content-Type", RestResponse.CONTENT_TYPE);
        ApiGatewayJson.writeRestAnswer(output, response.status(), headers, response.body());
    }
}
