package io.pagenow.core;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.pagenow.core.chat.port.in.Chat;
import io.pagenow.core.delivery.port.out.ClientPush;
import io.pagenow.core.delivery.port.out.ConnectionRegistry;
import io.pagenow.core.presence.port.in.Presence;
import io.pagenow.core.social.port.out.SocialGraph;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** The core's shape, checked on its main classes only (test fixtures may do what they like). */
class CoreArchitectureTest {

    private static final String CORE = "io.pagenow.core..";
    private static final String CHAT = "io.pagenow.core.chat..";
    private static final String PRESENCE = "io.pagenow.core.presence..";
    private static final String DELIVERY = "io.pagenow.core.delivery..";
    private static final String SOCIAL = "io.pagenow.core.social..";
    private static final String ERROR = "io.pagenow.core.error..";
    private static final String MEMORY = "io.pagenow.core.memory..";

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(new ImportOption.DoNotIncludeTests())
            .importPackages("io.pagenow.core");

    @Test
    void coreDependsOnTheJdkOnly() {
        classes().that().resideInAPackage(CORE)
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", CORE)
                .because("the core is framework-free: every technology sits in an adapter module")
                .check(MAIN);
    }

    @Test
    void chatAndPresenceMeetOnlyThroughDeliverySocialAndErrors() {
        classes().that().resideInAPackage(CHAT)
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", CHAT, DELIVERY, SOCIAL, ERROR)
                .check(MAIN);
        classes().that().resideInAPackage(PRESENCE)
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", PRESENCE, DELIVERY, SOCIAL, ERROR)
                .check(MAIN);
    }

    @Test
    void sharedPackagesKnowNoFeature() {
        noClasses().that().resideInAnyPackage(DELIVERY, SOCIAL, ERROR)
                .should().dependOnClassesThat().resideInAnyPackage(CHAT, PRESENCE, MEMORY)
                .check(MAIN);
    }

    @Test
    void onlyCompositionRootsChooseTheInMemoryAdapters() {
        noClasses().that().resideOutsideOfPackage(MEMORY)
                .should().dependOnClassesThat().resideInAPackage(MEMORY)
                .because("use cases talk to ports; which implementation runs is the composition root's choice")
                .check(MAIN);
    }

    @Test
    void portsAreInterfaces() {
        classes().that().resideInAPackage("io.pagenow.core..port..")
                .and().areTopLevelClasses()
                .should().beInterfaces()
                .check(MAIN);
        classes().that().belongToAnyOf(ConnectionRegistry.class, ClientPush.class, SocialGraph.class)
                .and().areTopLevelClasses()
                .should().beInterfaces()
                .check(MAIN);
    }

    @Test
    void useCaseImplementationsAreNotPublic() {
        classes().that().implement(Chat.class).or().implement(Presence.class)
                .should().notBePublic()
                .because("composition roots build use cases through ChatCore / PresenceCore only")
                .check(MAIN);
        classes().that().haveSimpleNameEndingWith("Service")
                .should().notBePublic()
                .check(MAIN);
    }

    @Test
    void noVagueNames() {
        noClasses().should().haveSimpleNameEndingWith("Impl")
                .orShould().haveSimpleNameEndingWith("Manager")
                .orShould().haveSimpleNameEndingWith("Util")
                .orShould().haveSimpleNameEndingWith("Utils")
                .check(MAIN);
    }

    @Test
    void timeComesOnlyThroughAClock() {
        noClasses().should().callMethod(System.class, "currentTimeMillis")
                .orShould().callMethod(System.class, "nanoTime")
                .orShould().callMethod(Instant.class, "now")
                .orShould().callMethod(LocalDateTime.class, "now")
                .orShould().callMethod(OffsetDateTime.class, "now")
                .orShould().callMethod(ZonedDateTime.class, "now")
                .orShould().callMethod(Clock.class, "systemUTC")
                .orShould().callMethod(Clock.class, "systemDefaultZone")
                .because("timeouts are tested by moving a clock, never by sleeping")
                .check(MAIN);
    }
}
