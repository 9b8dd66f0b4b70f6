package io.pagenow.core.testing;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Shows an ArchUnit rule can fail: a rule that passes on every class checks nothing. */
public final class RulesCanFail {

    private RulesCanFail() {
    }

    /** Fails unless {@code rule} finds a violation in {@code breaking}, a fixture written to break it. */
    public static void assertViolated(ArchRule rule, Class<?> breaking) {
        assertTrue(rule.evaluate(new ClassFileImporter().importClasses(breaking)).hasViolation(),
                () -> breaking.getSimpleName() + " should break: " + rule.getDescription());
    }
}
