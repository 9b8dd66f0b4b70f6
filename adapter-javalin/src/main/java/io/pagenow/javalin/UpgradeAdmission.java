package io.pagenow.javalin;

import io.javalin.http.Context;
import io.javalin.http.ServiceUnavailableResponse;
import io.javalin.websocket.WsConnectContext;
import io.pagenow.protocol.Authenticator;
import io.pagenow.protocol.NotReadyException;

import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Who may open a socket, decided before the upgrade: a missing or bad token is answered 401, a
 * node that is not serving or holds its cap of sockets 503, and no socket is opened. The caller
 * it admits is handed to the socket's open handler.
 *
 * @param callers token verification and (with a directory) the known-user check
 * @param serving false before the start and from the stop on: upgrades are refused meanwhile
 */
record UpgradeAdmission(LocalSockets sockets, Authenticator callers, int maxSockets, BooleanSupplier serving) {

    private static final String USER = "pagenow.userId";

    void admit(Context ctx, String path) {
        ctx.attribute(RestBridge.ROUTE, path);
        if (!serving.getAsBoolean()) {
            throw new NotReadyException("server (not serving)");
        }
        if (sockets.size() >= maxSockets) {
            // Past the cap the descriptors left are for health checks, REST and the stores.
            throw new ServiceUnavailableResponse("Too many open sockets on this node: retry later");
        }
        String token = Optional.ofNullable(ctx.queryParam("Authorization")).orElse(ctx.header("Authorization"));
        ctx.attribute(USER, callers.authenticate(token));
    }

    /** The user {@link #admit} let through for this socket. */
    static String userOf(WsConnectContext ctx) {
        return ctx.attribute(USER);
    }
}
