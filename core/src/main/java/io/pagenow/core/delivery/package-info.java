/**
 * What chat and presence share to reach clients: connections, channels, the events pushed to them,
 * and {@link io.pagenow.core.delivery.Deliveries}, which fans an event out through the outbound
 * ports in {@code delivery.port.out}. Knows no feature.
 */
package io.pagenow.core.delivery;
