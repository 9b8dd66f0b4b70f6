package io.pagenow.bench;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

/**
 * The load generator measures the server from outside: it may know the wire protocol only, never
 * the server's classes. The JMH benchmarks are the one place that runs the server's insides.
 */
@AnalyzeClasses(packages = "io.pagenow.bench", importOptions = ImportOption.DoNotIncludeTests.class)
class BenchArchitectureTest {

    /** Allow-lists: a deny-list of packages absent from this class path could never fail. */
    @ArchTest
    static final ArchRule loadGeneratorTalksOnlyOverTheWire = classes()
            .that().resideInAPackage("io.pagenow.bench")
            .should().onlyDependOnClassesThat().resideInAnyPackage("io.pagenow.bench", "com.fasterxml.jackson..",
                    "org.HdrHistogram..", "java..",
                    // The JDK's own XML reader, for the XMPP mode's stanzas.
                    "javax.xml.stream..",
                    // JMH's launcher only: `bench/run jmh` goes through the same Main.
                    "org.openjdk.jmh");

    /**
     * The Redis adapter's own entry point ({@code RedisLive}) is allowed, so the presence path can be
     * measured on it, and the PostgreSQL adapter's ({@code PostgresStores}, {@code PostgresConfig})
     * for the append path; and the harness's Redis and PostgreSQL helpers, which delete the
     * benchmark's keys and drop its database; a store's driver (Jedis, JDBC) never.
     */
    @ArchTest
    static final ArchRule microbenchmarksUseTheServersPortsNotItsStoresTechnology = classes()
            .that().resideInAPackage("io.pagenow.bench.jmh..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("io.pagenow.bench.jmh..", "io.pagenow.core..",
                    "io.pagenow.protocol..", "io.pagenow.redis", "io.pagenow.postgres", "io.pagenow.bench",
                    "org.openjdk.jmh..",
                    "com.fasterxml.jackson..", "java..");

    /** The platform's reference runs Jetty and nothing of ours: it would not measure Jetty alone otherwise. */
    @ArchTest
    static final ArchRule theJettyReferenceRunsNothingOfOurs = classes()
            .that().resideInAPackage("io.pagenow.bench.jetty..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("io.pagenow.bench.jetty..", "org.eclipse.jetty..",
                    "java..");
}
