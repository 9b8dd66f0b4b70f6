/**
 * Outside the hexagon, beside the PostgreSQL adapter: the schema's Flyway migrations and the
 * {@code migrate} command that applies them. No port; the adapter reads what these migrations
 * create.
 */
package io.pagenow.db;
