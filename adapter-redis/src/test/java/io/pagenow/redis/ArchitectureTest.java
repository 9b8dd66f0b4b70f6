package io.pagenow.redis;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.pagenow.core.delivery.ClientPush;
import io.pagenow.core.delivery.ConnectionRegistry;
import io.pagenow.core.presence.port.PresenceStore;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

class ArchitectureTest {

    /** This module's classes and the core's, which are on the class path too. */
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.pagenow");

    @Test
    void jedisAppearsOnlyInTheRedisAdapter() {
        noClasses().that().resideOutsideOfPackage("io.pagenow.redis..")
                .should().dependOnClassesThat().resideInAPackage("redis.clients..")
                .check(CLASSES);
    }

    @Test
    void theRedisAdapterUsesNoOtherTechnologyOrAdapter() {
        noClasses().that().resideInAPackage("io.pagenow.redis..")
                .should().dependOnClassesThat().resideInAnyPackage("com.fasterxml.jackson..", "io.javalin..",
                        "org.eclipse.jetty..", "org.jdbi..", "com.zaxxer..", "org.postgresql..", "com.nimbusds..",
                        "software.amazon..", "com.amazonaws..", "io.pagenow.protocol..", "io.pagenow.javalin..",
                        "io.pagenow.postgres..", "io.pagenow.lambda..")
                .check(CLASSES);
    }

    @Test
    void portImplementationsAreNamedAfterRedisAndHiddenBehindTheFactory() {
        classes().that().resideInAPackage("io.pagenow.redis..")
                .and(assignableTo(ConnectionRegistry.class).or(assignableTo(PresenceStore.class))
                        .or(assignableTo(ClientPush.class)))
                .should().haveSimpleNameStartingWith("Redis").andShould().notBePublic()
                .check(CLASSES);
    }

    @Test
    void onlyTheFactoryAndItsConfigurationArePublic() {
        classes().that().resideInAPackage("io.pagenow.redis..").and().arePublic()
                .should().haveSimpleName("RedisLive").orShould().haveSimpleName("RedisConfig")
                .check(CLASSES);
    }
}
