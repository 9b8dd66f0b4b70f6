/**
 * Driven adapters inside the core: in-memory implementations of every store port, the server's
 * embedded default and the use-case tests' fixtures. Only composition roots choose them (an
 * ArchUnit rule keeps it so).
 */
package io.pagenow.core.memory;
