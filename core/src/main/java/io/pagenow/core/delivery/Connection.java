package io.pagenow.core.delivery;

import java.util.Objects;

/**
 * One open client socket.
 *
 * @param id      unique among all open connections of all nodes
 * @param userId  the authenticated user holding it
 * @param channel which socket it is
 * @param nodeId  the server node (or gateway) that holds the socket, so pushes reach it
 */
public record Connection(String id, String userId, Channel channel, String nodeId) {
    public Connection {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(nodeId, "nodeId");
    }
}
