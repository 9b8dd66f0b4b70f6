package io.pagenow.redis;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.pagenow.core.delivery.port.out.ClientPush;
import io.pagenow.core.delivery.port.out.ConnectionRegistry;
import io.pagenow.core.presence.port.out.PresenceStore;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArchitectureTest {

    /** This module's classes and the core's, which are on the class path too. */
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.pagenow");

    @Test
    void jedisAppearsOnlyInTheRedisAdapter() {
        noClasses().that().resideOutsideOfPackage("io.pagenow.redis..")
                .should().dependOnClassesThat().resideInAPackage("redis.clients..")
                .check(CLASSES);
    }

    /** An allow-list: a deny-list of packages absent from this class path could never fail. */
    static final ArchRule USES_ONLY_THE_CORE_AND_JEDIS = classes().that().resideInAPackage("io.pagenow.redis..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("io.pagenow.redis..", "io.pagenow.core..",
                    "io.pagenow.config..", "redis.clients..", "org.slf4j..", "java..");

    @Test
    void theRedisAdapterUsesOnlyTheCoreJedisAndLogging() {
        USES_ONLY_THE_CORE_AND_JEDIS.check(CLASSES);
    }

    @Test
    void theAllowListCanFail() {
        JavaClasses breaking = new ClassFileImporter().importClasses(io.pagenow.redis.archfixture.UsesJunit.class);
        assertTrue(USES_ONLY_THE_CORE_AND_JEDIS.evaluate(breaking).hasViolation());
    }

    @Test
    void portImplementationsAreNamedAfterRedisAndHiddenBehindTheFactory() {
        classes().that().resideInAPackage("io.pagenow.redis..")
                .and(assignableTo(ConnectionRegistry.class).or(assignableTo(PresenceStore.class))
                        .or(assignableTo(ClientPush.class)))
                .should().haveSimpleNameStartingWith("Redis").andShould().notBePublic()
                .check(CLASSES);
    }

    @Test
    void onlyTheFactoryAndItsConfigurationArePublic() {
        classes().that().resideInAPackage("io.pagenow.redis..").and().arePublic()
                .should().haveSimpleName("RedisLive").orShould().haveSimpleName("RedisConfig")
                .check(CLASSES);
    }
}
