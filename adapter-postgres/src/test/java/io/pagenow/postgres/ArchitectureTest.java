package io.pagenow.postgres;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.pagenow.core.chat.port.out.ConversationStore;
import io.pagenow.core.social.port.out.SocialGraph;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.implement;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

class ArchitectureTest {

    /** This module's classes and everything of the project it sees (core, db), tests excluded. */
    private static final JavaClasses PROJECT = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.pagenow");

    @Test
    void jdbiAndHikariAppearOnlyInThePostgresAdapter() {
        noClasses().that().resideOutsideOfPackage("io.pagenow.postgres..")
                .should().dependOnClassesThat().resideInAnyPackage("org.jdbi..", "com.zaxxer.hikari..")
                .check(PROJECT);
    }

    @Test
    void theAdapterUsesOnlyTheCoreTheMigrationsAndItsOwnTechnology() {
        classes().that().resideInAPackage("io.pagenow.postgres..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("io.pagenow.postgres..", "io.pagenow.core..",
                        "io.pagenow.config..", "io.pagenow.db..", "org.jdbi..", "com.zaxxer.hikari..", "com.github.benmanes.caffeine..",
                        "org.slf4j..", "java..",
                        // Plain JDBC's DataSource, for the append batch.
                        "javax.sql..")
                .check(PROJECT);
    }

    @Test
    void theStoreImplementationsAreNotPublic() {
        classes().that().resideInAPackage("io.pagenow.postgres..")
                .and(implement(ConversationStore.class).or(implement(SocialGraph.class)))
                .should().notBePublic()
                .check(PROJECT);
    }

    @Test
    void onlyTheFactoryAndItsConfigurationArePublic() {
        classes().that().resideInAPackage("io.pagenow.postgres..").and().arePublic()
                .should().haveSimpleName("PostgresStores").orShould().haveSimpleName("PostgresConfig")
                .check(PROJECT);
    }
}
