/**
 * An embedding program, outside the hexagon as a third party would be: drives the core's inbound
 * ports directly with the in-memory stores and its own {@code ClientPush} ({@code Inboxes}).
 */
package io.pagenow.example.embedded;
