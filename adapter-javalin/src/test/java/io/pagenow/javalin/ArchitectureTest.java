package io.pagenow.javalin;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import java.util.stream.Stream;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * Checks the modules this one is built from as well as itself. The server's own rules are
 * allow-lists: a deny-list of packages absent from this class path could never fail
 * ({@link ArchitectureRulesCanFailTest} shows each rule failing).
 */
@AnalyzeClasses(packages = "io.pagenow", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    /** What any class of the server may use: the core's ports and values, the protocol, its own libraries. */
    private static final String[] TRANSPORT = {"io.pagenow.javalin..", "io.pagenow.core.chat..",
            "io.pagenow.core.presence..", "io.pagenow.core.delivery..", "io.pagenow.core.social..",
            "io.pagenow.core.error..", "io.pagenow.protocol..", "io.pagenow.config..", "io.javalin..",
            "org.eclipse.jetty..", "jakarta.servlet..", "com.fasterxml.jackson..", "com.nimbusds..",
            "io.micrometer..", "org.slf4j..", "ch.qos.logback..", "kotlin..", "java..",
            // The file descriptor limit, read by SocketCap.
            "com.sun.management.."};
    /** What the classes that build stores add: the core's in-memory adapters. */
    private static final String[] STORE_BUILDING = plus(TRANSPORT, "io.pagenow.core.memory..");
    /** What the composition root adds: the store adapters and the migrations. */
    private static final String[] COMPOSITION_ROOT = plus(STORE_BUILDING, "io.pagenow.postgres..",
            "io.pagenow.redis..", "io.pagenow.db..");

    @ArchTest
    static final ArchRule javalinAndJettyOnlyHere = noClasses()
            .that().resideOutsideOfPackage("io.pagenow.javalin..")
            .should().dependOnClassesThat().resideInAnyPackage("io.javalin..", "org.eclipse.jetty..",
                    "jakarta.servlet..");

    @ArchTest
    static final ArchRule jacksonAndNimbusOnlyInTheProtocolAndTheServer = noClasses()
            .that().resideOutsideOfPackages("io.pagenow.protocol..", "io.pagenow.javalin..")
            .should().dependOnClassesThat().resideInAnyPackage("com.fasterxml.jackson..", "com.nimbusds..");

    @ArchTest
    static final ArchRule theServerUsesOnlyWhatItsCompositionRootNeeds = classes()
            .that().resideInAPackage("io.pagenow.javalin..")
            .should().onlyDependOnClassesThat().resideInAnyPackage(COMPOSITION_ROOT);

    @ArchTest
    static final ArchRule storesComeInThroughTheCompositionRoot = classes()
            .that().resideInAPackage("io.pagenow.javalin..").and().doNotHaveSimpleName("Main")
            .should().onlyDependOnClassesThat().resideInAnyPackage(STORE_BUILDING)
            .because("the server is built from Stores, which only Main fills");

    @ArchTest
    static final ArchRule onlyTheCompositionRootChoosesStores = classes()
            .that().resideInAPackage("io.pagenow.javalin..")
            .and().doNotHaveSimpleName("Main").and().doNotHaveSimpleName("Stores").and().doNotHaveSimpleName("SeedFile")
            .should().onlyDependOnClassesThat().resideInAnyPackage(TRANSPORT);

    @ArchTest
    static final ArchRule namesSayWhatThingsAre = classes()
            .that().resideInAPackage("io.pagenow.javalin..")
            .should().haveSimpleNameNotEndingWith("Impl")
            .andShould().haveSimpleNameNotEndingWith("Manager")
            .andShould().haveSimpleNameNotEndingWith("Util");

    private static String[] plus(String[] packages, String... more) {
        return Stream.concat(Stream.of(packages), Stream.of(more)).toArray(String[]::new);
    }
}
