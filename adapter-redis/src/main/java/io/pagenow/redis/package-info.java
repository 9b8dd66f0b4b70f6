/**
 * Driven adapter on Redis (Jedis): what is live and shared by every node, implementing the core's
 * {@code ConnectionRegistry}, {@code PresenceStore} and {@code ClientPush} (the relay to the node
 * holding a socket), package-private behind one public factory ({@code RedisLive}).
 */
package io.pagenow.redis;
