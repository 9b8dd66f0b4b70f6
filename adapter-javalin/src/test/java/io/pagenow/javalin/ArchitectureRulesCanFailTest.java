package io.pagenow.javalin;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import io.pagenow.archfixture.UsesJackson;
import io.pagenow.archfixture.UsesJetty;
import io.pagenow.javalin.archfixture.BuildsPostgresStores;
import io.pagenow.javalin.archfixture.ChoosesAnInMemoryStore;
import io.pagenow.javalin.archfixture.SocketManager;
import io.pagenow.javalin.archfixture.UsesJunit;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each rule of {@link ArchitectureTest} run on a class that breaks it: a rule that cannot fail checks nothing. */
class ArchitectureRulesCanFailTest {

    @Test
    void jettyOutsideTheServerFails() {
        assertViolated(ArchitectureTest.javalinAndJettyOnlyHere, UsesJetty.class);
    }

    @Test
    void jacksonOutsideTheProtocolAndTheServerFails() {
        assertViolated(ArchitectureTest.jacksonAndNimbusOnlyInTheProtocolAndTheServer, UsesJackson.class);
    }

    @Test
    void theAllowListFails() {
        assertViolated(ArchitectureTest.theServerUsesOnlyWhatItsCompositionRootNeeds, UsesJunit.class);
    }

    @Test
    void aStoreAdapterOutsideMainFails() {
        assertViolated(ArchitectureTest.storesComeInThroughTheCompositionRoot, BuildsPostgresStores.class);
    }

    @Test
    void anInMemoryStoreOutsideTheCompositionRootFails() {
        assertViolated(ArchitectureTest.onlyTheCompositionRootChoosesStores, ChoosesAnInMemoryStore.class);
    }

    @Test
    void aVagueNameFails() {
        assertViolated(ArchitectureTest.namesSayWhatThingsAre, SocketManager.class);
    }

    private static void assertViolated(ArchRule rule, Class<?> breaking) {
        assertTrue(rule.evaluate(new ClassFileImporter().importClasses(breaking)).hasViolation(),
                () -> breaking.getSimpleName() + " should break: " + rule.getDescription());
    }
}
