package io.pagenow.lambda;

import io.pagenow.lambda.archfixture.ChoosesAnInMemoryStore;
import io.pagenow.lambda.archfixture.ReadsTheEnvironment;
import io.pagenow.lambda.archfixture.UsesJackson;
import io.pagenow.protocol.archfixture.UsesAws;
import org.junit.jupiter.api.Test;

import static io.pagenow.core.testing.RulesCanFail.assertViolated;

/** Each rule of {@link LambdaArchitectureTest} run on a class that breaks it: a rule that cannot fail checks nothing. */
class LambdaArchitectureRulesCanFailTest {

    @Test
    void awsOutsideTheAdapterFails() {
        assertViolated(LambdaArchitectureTest.AWS_ONLY_HERE, UsesAws.class);
    }

    @Test
    void aHandlerChoosingAStoreFails() {
        assertViolated(LambdaArchitectureTest.HANDLERS_USE_ONLY_THE_PROTOCOL_AND_AWS, ChoosesAnInMemoryStore.class);
    }

    @Test
    void jacksonInTheAdapterFails() {
        assertViolated(LambdaArchitectureTest.THE_CONTAINER_USES_ONLY_WHAT_IT_WIRES, UsesJackson.class);
    }

    @Test
    void readingTheEnvironmentOutsideTheContainerFails() {
        assertViolated(LambdaArchitectureTest.ONLY_THE_CONTAINER_READS_THE_ENVIRONMENT, ReadsTheEnvironment.class);
    }
}
