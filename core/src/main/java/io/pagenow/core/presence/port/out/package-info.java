/**
 * Presence's outbound ports: the presence store ({@code adapter-redis}, in memory) and the
 * registrable-domain lookup ({@code protocol}'s Public Suffix List). Each is held to one behaviour
 * by a contract suite in the core's test jar.
 */
package io.pagenow.core.presence.port.out;
