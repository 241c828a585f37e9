package cn.qxqy.pipeline;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import jakarta.ws.rs.Path;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The floors of the house, as rules a change cannot quietly undo: the domain stands on nothing but Java, the wire
 * format on the domain and its libraries, the rooms
 * (the packages under {@code cn.qxqy.pipeline}) import each other without a circle, a refused append becomes a problem
 * only at the edge, and nothing calls into a REST resource, the edge where requests come in.
 */
class ArchitectureTest {

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("cn.qxqy.pipeline");

    @Test
    void theDomainImportsNoFrameworkAndNoOtherRoom() {
        classes().that().resideInAPackage("cn.qxqy.pipeline.domain..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("cn.qxqy.pipeline.domain..", "java..")
                .check(MAIN);
    }

    @Test
    void theWireFormatStandsOnTheDomainAlone() {
        classes().that().resideInAPackage("cn.qxqy.pipeline.wire..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("cn.qxqy.pipeline.wire..",
                        "cn.qxqy.pipeline.domain..", "java..", "com.fasterxml.jackson..", "org.eclipse.microprofile.openapi..",
                        "io.quarkus.smallrye.openapi..")
                .check(MAIN);
    }

    @Test
    void theRoomsImportEachOtherWithoutACircle() {
        slices().matching("cn.qxqy.pipeline.(*)..").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void theStoreAndTheCommandSideLeaveProblemsToTheEdge() {
        noClasses().that().resideInAnyPackage("cn.qxqy.pipeline.command..", "cn.qxqy.pipeline.eventstore..")
                .should().dependOnClassesThat().resideInAnyPackage("cn.qxqy.pipeline.problem..", "jakarta.ws.rs..")
                .check(MAIN);
    }

    @Test
    void nothingCallsIntoARestResource() {
        noClasses().that().areNotAnnotatedWith(Path.class).and().areNotNestedClasses()
                .should().dependOnClassesThat().areAnnotatedWith(Path.class)
                .check(MAIN);
    }
}
