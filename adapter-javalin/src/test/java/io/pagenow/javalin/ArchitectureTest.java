package io.pagenow.javalin;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** Checks the modules this one is built from as well as itself. */
@AnalyzeClasses(packages = "io.pagenow", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule javalinAndJettyOnlyHere = noClasses()
            .that().resideOutsideOfPackage("io.pagenow.javalin..")
            .should().dependOnClassesThat().resideInAnyPackage("io.javalin..", "org.eclipse.jetty..",
                    "jakarta.servlet..");

    @ArchTest
    static final ArchRule jacksonAndNimbusOnlyInTheProtocolAndTransports = noClasses()
            .that().resideOutsideOfPackages("io.pagenow.protocol..", "io.pagenow.javalin..", "io.pagenow.lambda..")
            .should().dependOnClassesThat().resideInAnyPackage("com.fasterxml.jackson..", "com.nimbusds..");

    @ArchTest
    static final ArchRule onlyTheCompositionRootChoosesStores = noClasses()
            .that().resideInAPackage("io.pagenow.javalin..")
            .and().doNotHaveSimpleName("Main").and().doNotHaveSimpleName("Stores").and().doNotHaveSimpleName("SeedFile")
            .should().dependOnClassesThat().resideInAPackage("io.pagenow.core.memory..");

    @ArchTest
    static final ArchRule storesComeInThroughTheCompositionRoot = noClasses()
            .that().resideInAPackage("io.pagenow.javalin..").and().doNotHaveSimpleName("Main")
            .should().dependOnClassesThat().resideInAnyPackage("io.pagenow.postgres..", "io.pagenow.redis..",
                    "io.pagenow.db..", "io.pagenow.lambda..")
            .because("the server is built from Stores, which only Main fills");

    @ArchTest
    static final ArchRule namesSayWhatThingsAre = classes()
            .that().resideInAPackage("io.pagenow.javalin..")
            .should().haveSimpleNameNotEndingWith("Impl")
            .andShould().haveSimpleNameNotEndingWith("Manager")
            .andShould().haveSimpleNameNotEndingWith("Util");
}
