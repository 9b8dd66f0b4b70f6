package io.pagenow.bench;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each rule of {@link BenchArchitectureTest} run on a class that breaks it: a rule that cannot fail checks nothing. */
class BenchArchitectureRulesCanFailTest {

    @Test
    void aLoadGeneratorThatKnowsTheServersClassesFails() {
        assertViolated(BenchArchitectureTest.loadGeneratorTalksOnlyOverTheWire, LoadGeneratorBreakingTheRule.class);
    }

    @Test
    void aMicrobenchmarkThatReachesAStoreTechnologyFails() throws ClassNotFoundException {
        assertViolated(BenchArchitectureTest.microbenchmarksUseTheServersPortsNotItsStoresTechnology,
                Class.forName("io.pagenow.bench.jmh.MicrobenchmarkBreakingTheRule"));
    }

    @Test
    void aJettyReferenceThatRunsOurCodeFails() throws ClassNotFoundException {
        assertViolated(BenchArchitectureTest.theJettyReferenceRunsNothingOfOurs,
                Class.forName("io.pagenow.bench.jetty.ReferenceBreakingTheRule"));
    }

    private static void assertViolated(ArchRule rule, Class<?> breaking) {
        assertTrue(rule.evaluate(new ClassFileImporter().importClasses(breaking)).hasViolation(),
                () -> breaking.getSimpleName() + " should break: " + rule.getDescription());
    }
}
