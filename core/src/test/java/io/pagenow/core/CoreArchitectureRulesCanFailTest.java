package io.pagenow.core;

import io.pagenow.core.archfixture.UsesJunit;
import io.pagenow.core.archfixture.port.UnsidedPort;
import io.pagenow.core.archfixture.port.out.ConcreteStore;
import io.pagenow.core.archfixture.port.out.PortWithAClass;
import io.pagenow.core.social.archfixture.KnowsChat;
import org.junit.jupiter.api.Test;

import static io.pagenow.core.testing.RulesCanFail.assertViolated;

/** Each rule of {@link CoreArchitectureTest} run on a class that breaks it: a rule that cannot fail checks nothing. */
class CoreArchitectureRulesCanFailTest {

    @Test
    void aClassAsAPortFails() {
        assertViolated(CoreArchitectureTest.PORTS_ARE_INTERFACES, ConcreteStore.class);
    }

    @Test
    void aClassBesideAPortFails() {
        assertViolated(CoreArchitectureTest.PORT_PACKAGES_HOLD_ONLY_INTERFACES_AND_RECORDS, PortWithAClass.Value.class);
    }

    @Test
    void aPortOnNoSideFails() {
        assertViolated(CoreArchitectureTest.PORTS_SAY_WHICH_SIDE_THEY_ARE_ON, UnsidedPort.class);
    }

    @Test
    void aSharedPackageReadingAFeatureFails() {
        assertViolated(CoreArchitectureTest.SHARED_PACKAGES_KNOW_NO_FEATURE, KnowsChat.class);
    }

    @Test
    void aLibraryInTheCoreFails() {
        assertViolated(CoreArchitectureTest.CORE_DEPENDS_ON_THE_JDK_ONLY, UsesJunit.class);
    }
}
