package io.pagenow.core;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import io.pagenow.core.chat.port.in.Chat;
import io.pagenow.core.presence.port.in.Presence;
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
    private static final String PORTS_IN = "io.pagenow.core.*.port.in..";
    private static final String PORTS_OUT = "io.pagenow.core.*.port.out..";

    static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(new ImportOption.DoNotIncludeTests())
            .importPackages("io.pagenow.core");

    static final ArchRule CORE_DEPENDS_ON_THE_JDK_ONLY = classes().that().resideInAPackage(CORE)
            .should().onlyDependOnClassesThat().resideInAnyPackage("java..", CORE)
            .because("the core is framework-free: every technology sits in an adapter module");

    @Test
    void coreDependsOnTheJdkOnly() {
        CORE_DEPENDS_ON_THE_JDK_ONLY.check(MAIN);
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

    /** An allow-list: what the shared packages may see, so a new feature package is kept out without naming it here. */
    static final ArchRule SHARED_PACKAGES_KNOW_NO_FEATURE = classes().that().resideInAnyPackage(DELIVERY, SOCIAL, ERROR)
            .should().onlyDependOnClassesThat().resideInAnyPackage("java..", DELIVERY, SOCIAL, ERROR);

    @Test
    void sharedPackagesKnowNoFeature() {
        SHARED_PACKAGES_KNOW_NO_FEATURE.check(MAIN);
    }

    @Test
    void onlyCompositionRootsChooseTheInMemoryAdapters() {
        noClasses().that().resideOutsideOfPackage(MEMORY)
                .should().dependOnClassesThat().resideInAPackage(MEMORY)
                .because("use cases talk to ports; which implementation runs is the composition root's choice")
                .check(MAIN);
    }

    /** Ports are found by package alone: a port that moves out of {@code port.in}/{@code port.out} is no port. */
    static final ArchRule PORTS_ARE_INTERFACES = classes()
            .that().resideInAnyPackage(PORTS_IN, PORTS_OUT).and().areTopLevelClasses()
            .should().beInterfaces()
            .because("a port is a promise; what keeps it lives in the feature package or an adapter");

    /** Besides the ports, a port package holds only the values their signatures name, as records. */
    static final ArchRule PORT_PACKAGES_HOLD_ONLY_INTERFACES_AND_RECORDS = classes()
            .that().resideInAnyPackage(PORTS_IN, PORTS_OUT)
            .should().beInterfaces().orShould().beRecords();

    /** Every class under {@code port} sits in {@code port.in} or {@code port.out}: which side it is on is never left to guess. */
    static final ArchRule PORTS_SAY_WHICH_SIDE_THEY_ARE_ON = classes()
            .that().resideInAPackage("io.pagenow.core..port..")
            .should().resideInAnyPackage(PORTS_IN, PORTS_OUT);

    @Test
    void portsAreInterfaces() {
        PORTS_ARE_INTERFACES.check(MAIN);
        PORT_PACKAGES_HOLD_ONLY_INTERFACES_AND_RECORDS.check(MAIN);
        PORTS_SAY_WHICH_SIDE_THEY_ARE_ON.check(MAIN);
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
