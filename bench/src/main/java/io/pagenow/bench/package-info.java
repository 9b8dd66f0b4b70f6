/**
 * Outside the hexagon: the load generator, which drives a running server over the wire protocol
 * only (never its classes) and measures it beside the machine's limits.
 */
package io.pagenow.bench;
