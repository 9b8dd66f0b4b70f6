/**
 * JMH microbenchmarks of the core's hot paths (message send, presence update, the conversation
 * list) through its inbound ports, with in-memory stores (and, for the presence path, the Redis
 * adapter; for the append batch, the PostgreSQL adapter through the core's outbound port) and a
 * counting push: the one place in {@code bench} that runs the server's insides.
 */
package io.pagenow.bench.jmh;
