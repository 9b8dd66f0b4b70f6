/**
 * The local server: a transport adapter carrying the {@code protocol} module's bytes over
 * Javalin/Jetty, the {@code ClientPush} implementation for its own sockets ({@code LocalSockets}),
 * and the server's composition root ({@code Main}).
 */
package io.pagenow.javalin;
