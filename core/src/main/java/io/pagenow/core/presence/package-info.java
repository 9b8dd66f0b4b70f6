/**
 * Presence, the use cases at the centre of the hexagon: who is online and on which page, shared as
 * each user chooses, behind the inbound port {@link io.pagenow.core.presence.port.in.Presence}
 * (built by {@link io.pagenow.core.presence.PresenceCore}). JDK only.
 */
package io.pagenow.core.presence;
