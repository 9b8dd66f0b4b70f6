/**
 * The driving side of the hexagon, transport-free: turns the wire format of {@code
 * docs/protocol.md} (REST routes, WebSocket frames, tokens, limits) into calls on the core's
 * inbound ports, so the Javalin server and the Lambda handlers answer alike byte for byte. Also
 * implements the {@code RegistrableDomains} outbound port (Public Suffix List).
 */
package io.pagenow.protocol;
