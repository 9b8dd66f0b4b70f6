/**
 * Presence's inbound port: what a driving adapter (the {@code protocol} module, an embedding
 * program) calls. Interfaces only; the implementation stays package-private in {@code
 * io.pagenow.core.presence}.
 */
package io.pagenow.core.presence.port.in;
