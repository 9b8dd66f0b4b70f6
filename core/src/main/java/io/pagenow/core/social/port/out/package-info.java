/**
 * The social graph outbound port: friends, users and share settings, owned by the user service and
 * read (never written) by {@code adapter-postgres} or the core's in-memory graph. Contract suite
 * in the core's test jar.
 */
package io.pagenow.core.social.port.out;
