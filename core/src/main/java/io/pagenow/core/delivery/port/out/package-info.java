/**
 * Outbound ports of delivery, shared by chat and presence: where connections are registered
 * ({@code ConnectionRegistry}) and how an event reaches client sockets ({@code ClientPush}).
 * Implemented by the transports and {@code adapter-redis}; each has a contract suite in the core's
 * test jar.
 */
package io.pagenow.core.delivery.port.out;
