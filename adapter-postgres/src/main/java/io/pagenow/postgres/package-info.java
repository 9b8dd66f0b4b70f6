/**
 * Driven adapter on PostgreSQL (JDBI, HikariCP): the core's {@code ConversationStore} and {@code
 * SocialGraph} ports, package-private behind one public factory ({@code PostgresStores}).
 */
package io.pagenow.postgres;
