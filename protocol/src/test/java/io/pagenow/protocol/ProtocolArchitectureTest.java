package io.pagenow.protocol;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;

import java.util.ArrayList;
import java.util.List;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

@AnalyzeClasses(packages = "io.pagenow.protocol", importOptions = ImportOption.DoNotIncludeTests.class)
class ProtocolArchitectureTest {

    /**
     * The protocol is shared by every transport, so it may know none of them nor any store
     * technology: an allow-list, since a deny-list of packages absent from this class path could
     * never fail.
     */
    @ArchTest
    static final ArchRule usesOnlyTheCoreAndItsOwnLibraries = classes()
            .that().resideInAPackage("io.pagenow.protocol..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("io.pagenow.protocol..", "io.pagenow.core..",
                    "io.pagenow.config..", "com.fasterxml.jackson..", "com.nimbusds..", "com.github.benmanes.caffeine..",
                    "com.google.common..", "org.slf4j..", "java..");

    /** Composition roots choose implementations; the protocol only talks to the core's ports. */
    @ArchTest
    static final ArchRule noInMemoryAdapters = noClasses()
            .that().resideInAPackage("io.pagenow.protocol..")
            .should().dependOnClassesThat().resideInAPackage("io.pagenow.core.memory..");

    @ArchTest
    static final ArchRule namesSayWhatThingsAre = classes()
            .that().resideInAPackage("io.pagenow.protocol..")
            .should().haveSimpleNameNotEndingWith("Impl")
            .andShould().haveSimpleNameNotEndingWith("Manager")
            .andShould().haveSimpleNameNotEndingWith("Util")
            .andShould().haveSimpleNameNotEndingWith("Utils");

    /**
     * Transports pass text and records in and out; Jackson and nimbus types stay behind the API, so
     * each transport needs neither to call it.
     */
    @ArchTest
    static final ArchRule publicApiSpeaksNoJacksonOrNimbus = methods()
            .that().arePublic().and().areDeclaredInClassesThat().arePublic()
            .and().areDeclaredInClassesThat().resideInAPackage("io.pagenow.protocol..")
            .should(new ArchCondition<JavaMethod>("not expose Jackson or nimbus types") {
                @Override
                public void check(JavaMethod method, ConditionEvents events) {
                    List<JavaClass> types = new ArrayList<>(method.getRawParameterTypes());
                    types.add(method.getRawReturnType());
                    for (JavaClass type : types) {
                        String name = type.getName();
                        if (name.startsWith("com.fasterxml.jackson.") || name.startsWith("com.nimbusds.")) {
                            events.add(SimpleConditionEvent.violated(method, method.getFullName() + " exposes " + name));
                        }
                    }
                }
            });
}
