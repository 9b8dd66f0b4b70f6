package io.pagenow.lambda;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** AWS stays in this module; the handlers stay thin; one class picks implementations. */
class LambdaArchitectureTest {

    private static JavaClasses all;

    @BeforeAll
    static void importClasses() {
        all = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.pagenow");
    }

    @Test
    void awsClassesAppearOnlyInTheLambdaAdapter() {
        noClasses().that().resideOutsideOfPackage("io.pagenow.lambda..")
                .should().dependOnClassesThat().resideInAnyPackage("com.amazonaws..", "software.amazon..")
                .check(all);
    }

    @Test
    void onlyTheCompositionRootPicksStoreImplementationsOrReadsTheEnvironment() {
        noClasses().that().resideInAPackage("io.pagenow.lambda..").and(not(belongToAnyOf(LambdaContainer.class)))
                .should().dependOnClassesThat().resideInAnyPackage("io.pagenow.postgres..", "io.pagenow.redis..",
                        "io.pagenow.core.memory..")
                .check(all);
        noClasses().that().resideInAPackage("io.pagenow.lambda..").and(not(belongToAnyOf(LambdaContainer.class)))
                .should().callMethod(System.class, "getenv")
                .orShould().callMethod(System.class, "getenv", String.class)
                .check(all);
    }

    @Test
    void handlersTalkToTheProtocolAndTheContainerNotToStoreTechnologies() {
        noClasses().that().resideInAPackage("io.pagenow.lambda..")
                .should().dependOnClassesThat().resideInAnyPackage("org.jdbi..", "redis.clients..", "com.zaxxer..",
                        "org.postgresql..", "com.fasterxml.jackson..", "com.nimbusds..")
                .check(all);
    }
}
