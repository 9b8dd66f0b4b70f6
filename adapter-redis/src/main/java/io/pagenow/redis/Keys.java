package io.pagenow.redis;

import io.pagenow.core.delivery.Channel;

import java.util.Locale;

/**
 * Every key and pub/sub channel name, under one prefix. The variable part (an id chosen by a
 * client or a node) always comes last, so no id can make two names collide. README.md lists them.
 */
record Keys(String prefix) {

    /** Hash {@code user, channel, node} of one open connection. */
    String connection(String connectionId) {
        return prefix + "conn:" + connectionId;
    }

    /** Hash {@code connectionId -> nodeId}: one user's connections on one channel. */
    String userConnections(Channel channel, String userId) {
        return userConnectionsRoot() + name(channel) + ":" + userId;
    }

    /** What {@link #userConnections} puts before {@code <channel>:<userId>}; scripts complete it. */
    String userConnectionsRoot() {
        return prefix + "conns:";
    }

    /** Set of the connection ids a node holds, so the janitor finds a dead node's connections. */
    String nodeConnections(String nodeId) {
        return nodeConnectionsPrefix() + nodeId;
    }

    String nodeConnectionsPrefix() {
        return prefix + "node-conns:";
    }

    /** String with a TTL: present while the node is alive. */
    String nodeAlive(String nodeId) {
        return prefix + "node-alive:" + nodeId;
    }

    /**
     * String with a TTL: when (Redis TIME, millis) a node was first found without its liveness key
     * and not listening; "0" once it closed. The node is dead only when this is older than the
     * grace, so a stall or a lost key is not taken for a death. Deleted by the node's next beat.
     */
    String nodeDeadSince(String nodeId) {
        return prefix + "node-dead-since:" + nodeId;
    }

    /** Set of the ids of every node that ever beat and may still hold connections. */
    String nodes() {
        return prefix + "nodes";
    }

    /** Pub/sub channel a node listens on for pushes to its sockets. */
    String relayChannel(String nodeId) {
        return prefix + "relay:" + nodeId;
    }

    /** Sorted set {@code userId -> last-seen epoch millis} of the live users only. */
    String presenceLive() {
        return prefix + "presence:live";
    }

    /** Hash of one user's last-seen time (kept after going offline) and pages (only while live). */
    String presenceUser(String userId) {
        return presenceUserPrefix() + userId;
    }

    String presenceUserPrefix() {
        return prefix + "presence:user:";
    }

    static String name(Channel channel) {
        return channel.name().toLowerCase(Locale.ROOT);
    }

    static Channel channel(String name) {
        return Channel.valueOf(name.toUpperCase(Locale.ROOT));
    }
}
