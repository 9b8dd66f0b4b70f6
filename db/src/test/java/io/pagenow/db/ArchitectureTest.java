package io.pagenow.db;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

class ArchitectureTest {

    private static final JavaClasses DB = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.pagenow.db");

    @Test
    void theMigrationsDependOnFlywayAndTheDriverOnly() {
        classes().should().onlyDependOnClassesThat()
                .resideInAnyPackage("io.pagenow.db..", "java..", "javax.sql..", "org.flywaydb..", "org.postgresql..")
                .check(DB);
    }

    @Test
    void theMigrationsKnowNothingOfTheCoreOrTheAdapters() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("io.pagenow.core..", "io.pagenow.postgres..")
                .check(DB);
    }
}
