package io.pagenow.db;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArchitectureTest {

    private static final JavaClasses DB = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.pagenow.db");

    /** Also keeps out the core and the adapters: the migrations know nothing of them. */
    static final ArchRule ONLY_FLYWAY_AND_THE_DRIVER = classes().that().resideInAPackage("io.pagenow.db..")
            .should().onlyDependOnClassesThat()
            .resideInAnyPackage("io.pagenow.db..", "java..", "javax.sql..", "org.flywaydb..", "org.postgresql..");

    @Test
    void theMigrationsDependOnFlywayAndTheDriverOnly() {
        ONLY_FLYWAY_AND_THE_DRIVER.check(DB);
    }

    @Test
    void theAllowListCanFail() {
        JavaClasses breaking = new ClassFileImporter().importClasses(io.pagenow.db.archfixture.UsesJunit.class);
        assertTrue(ONLY_FLYWAY_AND_THE_DRIVER.evaluate(breaking).hasViolation());
    }
}
