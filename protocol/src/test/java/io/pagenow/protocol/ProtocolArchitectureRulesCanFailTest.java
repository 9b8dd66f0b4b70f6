package io.pagenow.protocol;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import io.pagenow.protocol.archfixture.ChoosesAnInMemoryStore;
import io.pagenow.protocol.archfixture.ExposesJackson;
import io.pagenow.protocol.archfixture.FrameUtil;
import io.pagenow.protocol.archfixture.UsesJunit;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each rule of {@link ProtocolArchitectureTest} run on a class that breaks it: a rule that cannot fail checks nothing. */
class ProtocolArchitectureRulesCanFailTest {

    @Test
    void theAllowListFails() {
        assertViolated(ProtocolArchitectureTest.usesOnlyTheCoreAndItsOwnLibraries, UsesJunit.class);
    }

    @Test
    void choosingAnInMemoryAdapterFails() {
        assertViolated(ProtocolArchitectureTest.noInMemoryAdapters, ChoosesAnInMemoryStore.class);
    }

    @Test
    void aVagueNameFails() {
        assertViolated(ProtocolArchitectureTest.namesSayWhatThingsAre, FrameUtil.class);
    }

    @Test
    void exposingJacksonFails() {
        assertViolated(ProtocolArchitectureTest.publicApiSpeaksNoJacksonOrNimbus, ExposesJackson.class);
    }

    private static void assertViolated(ArchRule rule, Class<?> breaking) {
        assertTrue(rule.evaluate(new ClassFileImporter().importClasses(breaking)).hasViolation(),
                () -> breaking.getSimpleName() + " should break: " + rule.getDescription());
    }
}
