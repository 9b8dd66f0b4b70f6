/**
 * The platform's reference: a bare Jetty WebSocket server on the very Jetty the server runs
 * (Javalin's), with nothing of ours in it, which the load generator and the Node client drive the
 * same way as the server to tell what Jetty and the machine allow from what our code costs.
 */
package io.pagenow.bench.jetty;
