package io.pagenow.javalin;

import io.pagenow.protocol.SocketApi;

/**
 * What every part that handles this node's sockets works with: the sockets held, the protocol
 * they speak, and the metrics they feed.
 *
 * @param nodeId this node, carried by every connection it opens
 */
record NodeSockets(String nodeId, LocalSockets sockets, SocketApi api, ServerMetrics metrics) {
}
