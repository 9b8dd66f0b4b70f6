package io.pagenow.javalin;

import io.javalin.config.JavalinConfig;
import io.javalin.http.ContentTooLargeResponse;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import io.pagenow.protocol.Failure;
import io.pagenow.protocol.RestApi;
import io.pagenow.protocol.RestRequest;
import io.pagenow.protocol.RestResponse;
import io.pagenow.protocol.RestRoute;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The REST routes on Javalin: each request is handed to the protocol's {@link RestApi} as a
 * {@link RestRequest} and its {@link RestResponse} written back; what Javalin refuses before a
 * route (404, 405, 413, an exception) gets the protocol's error body too.
 */
final class RestBridge {

    /** The request attribute holding the matched route's label, for metrics and logs. */
    static final String ROUTE = "pagenow.route";

    private final RestApi rest;
    private final long retryAfterSeconds;

    /** @param retryAfterSeconds the {@code Retry-After} of a 429 (the REST rate's time for one request) */
    RestBridge(RestApi rest, long retryAfterSeconds) {
        this.rest = rest;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    void register(JavalinConfig javalin) {
        for (RestRoute route : rest.routes()) {
            javalin.routes.addHttpHandler(HandlerType.findOrCreate(route.method()), route.path(), this::serve);
        }
        javalin.routes.exception(HttpResponseException.class, (e, ctx) -> {
            String message = e.getStatus() == 413 ? "Request body over " + RestApi.MAX_BODY_BYTES + " bytes"
                    : e.getMessage();
            respond(ctx, RestResponse.error(e.getStatus(), message, routeOf(ctx)));
        });
        javalin.routes.exception(Exception.class, (e, ctx) -> {
            Failure failure = Failure.of(e);
            respond(ctx, RestResponse.error(failure.status(), failure.message(), routeOf(ctx)));
        });
        javalin.routes.error(404, ctx -> {
            if (ctx.attribute(ROUTE) == null) {
                respond(ctx, RestResponse.noRoute(ctx.path()));
            }
        });
        javalin.routes.error(405, ctx -> {
            if (ctx.attribute(ROUTE) == null) {
                respond(ctx, RestResponse.methodNotAllowed(ctx.method().name(), ctx.path()));
            }
        });
    }

    private void serve(Context ctx) throws IOException {
        ctx.attribute(ROUTE, ctx.endpoint().path);
        String body = HandlerType.GET.equals(ctx.method()) ? null : boundedBody(ctx);
        Map<String, String> query = new HashMap<>();
        ctx.queryParamMap().forEach((name, values) -> {
            if (!values.isEmpty()) {
                query.put(name, values.get(0));
            }
        });
        RestResponse response = rest.handle(new RestRequest(ctx.method().name(), ctx.req().getRequestURI(), query,
                ctx.header("Authorization"), body, ctx.header("If-None-Match")));
        if (response.status() == 429) {
            ctx.header("Retry-After", String.valueOf(retryAfterSeconds));
        }
        if (response.etag() != null) {
            ctx.header("ETag", response.etag());
            ctx.header("Cache-Control", RestResponse.REVALIDATE);
        }
        if (response.notModified()) {
            ctx.status(RestResponse.NOT_MODIFIED);
            return;
        }
        respond(ctx, response);
    }

    /**
     * Bytes of an over-long body read and dropped before its 413. Answering while the client is
     * still sending and then closing makes the kernel reset the connection, and a reset discards
     * the 413 the client had not read yet ("header parser received no bytes"); a body announced
     * larger than this is not worth reading and still gets its 413 at once.
     */
    static final int DRAINED_AT_MOST = 1024 * 1024;

    /** The body, or null when empty; past {@link RestApi#MAX_BODY_BYTES}, a 413. */
    static String boundedBody(Context ctx) throws IOException {
        if (ctx.req().getContentLengthLong() > DRAINED_AT_MOST) {
            throw new ContentTooLargeResponse();
        }
        try (InputStream in = ctx.bodyInputStream()) {
            byte[] bytes = in.readNBytes(RestApi.MAX_BODY_BYTES + 1);
            if (bytes.length > RestApi.MAX_BODY_BYTES) {
                drop(in, DRAINED_AT_MOST - bytes.length);
                throw new ContentTooLargeResponse();
            }
            return bytes.length == 0 ? null : new String(bytes, StandardCharsets.UTF_8);
        }
    }

    private static void drop(InputStream in, long atMost) throws IOException {
        byte[] sink = new byte[8192];
        long left = atMost;
        int read;
        while (left > 0 && (read = in.read(sink, 0, (int) Math.min(sink.length, left))) > 0) {
            left -= read;
        }
    }

    static String routeOf(Context ctx) {
        String route = ctx.attribute(ROUTE);
        return route == null ? RestResponse.UNMATCHED : route;
    }

    static void json(Context ctx, String route, int status, String body) {
        ctx.attribute(ROUTE, route);
        ctx.status(status).contentType(RestResponse.CONTENT_TYPE).result(body);
    }

    private static void respond(Context ctx, RestResponse response) {
        json(ctx, response.route(), response.status(), response.body());
    }
}
