package io.pagenow.javalin;

import io.pagenow.archfixture.UsesJackson;
import io.pagenow.archfixture.UsesJetty;
import io.pagenow.javalin.archfixture.BuildsPostgresStores;
import io.pagenow.javalin.archfixture.ChoosesAnInMemoryStore;
import io.pagenow.javalin.archfixture.SocketManager;
import io.pagenow.javalin.archfixture.UsesJunit;
import org.junit.jupiter.api.Test;

import static io.pagenow.core.testing.RulesCanFail.assertViolated;

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
}
