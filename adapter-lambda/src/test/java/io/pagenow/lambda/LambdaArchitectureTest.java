package io.pagenow.lambda;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.stream.Stream;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * AWS stays in this module; the handlers stay thin; the composition root (the container, and its
 * {@code StoresOpener} for the stores) picks implementations. The module's
 * own rules are allow-lists: a deny-list of packages absent from this class path could never fail
 * ({@link LambdaArchitectureRulesCanFailTest} shows each rule failing).
 */
class LambdaArchitectureTest {

    /**
     * What a handler may use: the core's ports and values, the protocol, the shared configuration,
     * AWS, and jackson-core's streaming parser and generator for the events' JSON (stream handlers
     * read it themselves); data binding stays the protocol module's.
     */
    private static final String[] HANDLERS = {"io.pagenow.lambda..", "io.pagenow.core.chat..",
            "io.pagenow.core.presence..", "io.pagenow.core.delivery..", "io.pagenow.core.social..",
            "io.pagenow.core.error..", "io.pagenow.protocol..", "io.pagenow.config..", "com.amazonaws..",
            "software.amazon..", "org.crac..", "org.slf4j..", "com.fasterxml.jackson.core..", "java.."};
    /** What the composition root adds: the store implementations and the database URL's reading. */
    private static final String[] CONTAINER = Stream.concat(Stream.of(HANDLERS), Stream.of(
            "io.pagenow.core.memory..", "io.pagenow.postgres..", "io.pagenow.redis..", "io.pagenow.db.."))
            .toArray(String[]::new);

    static final ArchRule AWS_ONLY_HERE = noClasses().that().resideOutsideOfPackage("io.pagenow.lambda..")
            .should().dependOnClassesThat().resideInAnyPackage("com.amazonaws..", "software.amazon..");

    static final ArchRule HANDLERS_USE_ONLY_THE_PROTOCOL_AND_AWS = classes()
            .that().resideInAPackage("io.pagenow.lambda..")
            .and(not(belongToAnyOf(LambdaContainer.class, LambdaConfig.class, StoresOpener.class)))
            .should().onlyDependOnClassesThat().resideInAnyPackage(HANDLERS)
            .because("handlers translate API Gateway events for the protocol module; stores are the container's choice");

    static final ArchRule THE_CONTAINER_USES_ONLY_WHAT_IT_WIRES = classes()
            .that().resideInAPackage("io.pagenow.lambda..")
            .should().onlyDependOnClassesThat().resideInAnyPackage(CONTAINER);

    static final ArchRule ONLY_THE_CONTAINER_READS_THE_ENVIRONMENT = noClasses()
            .that().resideInAPackage("io.pagenow.lambda..").and(not(belongToAnyOf(LambdaContainer.class)))
            .should().callMethod(System.class, "getenv")
            .orShould().callMethod(System.class, "getenv", String.class);

    private static JavaClasses all;

    @BeforeAll
    static void importClasses() {
        all = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.pagenow");
    }

    @Test
    void awsClassesAppearOnlyInTheLambdaAdapter() {
        AWS_ONLY_HERE.check(all);
    }

    @Test
    void onlyTheCompositionRootPicksStoreImplementationsOrReadsTheEnvironment() {
        HANDLERS_USE_ONLY_THE_PROTOCOL_AND_AWS.check(all);
        ONLY_THE_CONTAINER_READS_THE_ENVIRONMENT.check(all);
    }

    @Test
    void theModuleUsesNoStoreTechnologyOrJsonLibraryDirectly() {
        THE_CONTAINER_USES_ONLY_WHAT_IT_WIRES.check(all);
    }
}
