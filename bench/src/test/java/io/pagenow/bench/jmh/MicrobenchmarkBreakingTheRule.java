package io.pagenow.bench.jmh;

/** A microbenchmark that reaches a store's technology (the JDBC driver): it breaks the rule on purpose. */
final class MicrobenchmarkBreakingTheRule {
    java.sql.Driver driver() {
        return new org.postgresql.Driver();
    }
}
