package io.pagenow.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import io.pagenow.protocol.RestRequest;
import io.pagenow.protocol.RestResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every REST route of docs/protocol.md behind one API Gateway REST API (proxy integration): one function,
 * so one cold start, for the whole API. Routing, authentication, parsing and encoding are the
 * protocol module's {@code RestApi}, the same code the Javalin server runs; this class only
 * translates the event and adds CORS headers.
 */
public final class RestHandler implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {

    private static final Logger LOG = LoggerFactory.getLogger(RestHandler.class);

    private final LambdaContainer container;

    /** The constructor the Lambda runtime calls, once per container. */
    public RestHandler() {
        this(LambdaContainer.instance());
    }

    RestHandler(LambdaContainer container) {
        this.container = container;
    }

    @Override
    public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent event, Context context) {
        long started = System.nanoTime();
        Map<String, String> headers = caseInsensitive(event.getHeaders());
        String origin = headers.get("Origin");
        String method = event.getHttpMethod() == null ? "" : event.getHttpMethod();
        if (method.equalsIgnoreCase("OPTIONS")) {
            return answer(204, null, container.cors().preflight(origin));
        }
        RestResponse response = container.rest().handle(new RestRequest(method,
                event.getPath() == null ? "/" : event.getPath(), query(event), headers.get("Authorization"),
                body(event), headers.get("If-None-Match")));
        LOG.info("{} {} -> {} in {} ms", method, response.route(), response.status(),
                (System.nanoTime() - started) / 1_000_000);
        Map<String, String> answerHeaders = container.cors().headers(origin);
        if (response.status() == 429) {
            answerHeaders.put("Retry-After", String.valueOf(container.config().limits().restRetryAfterSeconds()));
        }
        if (response.etag() != null) {
            answerHeaders.put("ETag", response.etag());
            answerHeaders.put("Cache-Control", RestResponse.REVALIDATE);
        }
        if (response.notModified()) {
            return answer(response.status(), null, answerHeaders);
        }
        answerHeaders.put("Content-Type", RestResponse.CONTENT_TYPE);
        return answer(response.status(), response.body(), answerHeaders);
    }

    private static APIGatewayProxyResponseEvent answer(int status, String body, Map<String, String> headers) {
        return new APIGatewayProxyResponseEvent().withStatusCode(status).withHeaders(headers).withBody(body)
                .withIsBase64Encoded(false);
    }

    /** The first value of each parameter, as the Javalin server reads a repeated one. */
    private static Map<String, String> query(APIGatewayProxyRequestEvent event) {
        Map<String, String> query = new HashMap<>();
        Map<String, List<String>> multi = event.getMultiValueQueryStringParameters();
        if (multi != null) {
            multi.forEach((name, values) -> {
                if (values != null && !values.isEmpty()) {
                    query.put(name, values.get(0));
                }
            });
        } else if (event.getQueryStringParameters() != null) {
            query.putAll(event.getQueryStringParameters());
        }
        return query;
    }

    private static String body(APIGatewayProxyRequestEvent event) {
        String body = event.getBody();
        if (body != null && Boolean.TRUE.equals(event.getIsBase64Encoded())) {
            try {
                return new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                // Left as sent: the JSON parser then names the body as malformed.
                return body;
            }
        }
        return body;
    }

    /** Header names are case-insensitive; API Gateway passes them as the client spelled them. */
    private static Map<String, String> caseInsensitive(Map<String, String> headers) {
        Map<String, String> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (headers != null) {
            map.putAll(headers);
        }
        return map;
    }
}
