package io.pagenow.bench;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The load generator measures the server from outside: it may know the wire protocol only, never
 * the server's classes. The JMH benchmarks are the one place that runs the server's insides.
 */
@AnalyzeClasses(packages = "io.pagenow.bench", importOptions = ImportOption.DoNotIncludeTests.class)
class BenchArchitectureTest {

    @ArchTest
    static final ArchRule loadGeneratorTalksOnlyOverTheWire = noClasses()
            .that().resideInAPackage("io.pagenow.bench")
            .should().dependOnClassesThat().resideInAnyPackage("io.pagenow.core..", "io.pagenow.protocol..",
                    "io.pagenow.javalin..", "io.pagenow.postgres..", "io.pagenow.redis..", "io.javalin..",
                    "org.eclipse.jetty..", "redis.clients..", "org.jdbi..");

    @ArchTest
    static final ArchRule microbenchmarksStayOutOfTheLoadGenerator = noClasses()
            .that().resideInAPackage("io.pagenow.bench")
            .should().dependOnClassesThat().resideInAPackage("io.pagenow.bench.jmh..");

    @ArchTest
    static final ArchRule microbenchmarksUseTheServersPortsNotItsStoresTechnology = noClasses()
            .that().resideInAPackage("io.pagenow.bench.jmh..")
            .should().dependOnClassesThat().resideInAnyPackage("io.javalin..", "org.eclipse.jetty..",
                    "redis.clients..", "org.jdbi..");
}
