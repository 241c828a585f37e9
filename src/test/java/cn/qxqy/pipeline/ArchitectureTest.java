package cn.qxqy.pipeline;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import jakarta.ws.rs.Path;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The floors of the house, as rules a change cannot quietly undo: the domain stands on nothing but Java, the wire
 * format on the domain and its libraries, the rooms
 * (the packages under {@code cn.qxqy.pipeline}) import each other without a circle, a refused append becomes a problem
 * only at the edge, nothing calls into a REST resource, the edge where requests come in, and no room reaches into
 * another's tables.
 */
class ArchitectureTest {

    /**
     * Each table the migrations create, by the room that owns it: no other room's SQL names it, but to read what the
     * owner publishes. The event store publishes none of its tables: others call its methods, or select from the
     * relations it keeps for them (eventstore.StoreRelations).
     */
    private static final Map<String, String> OWNERS = Map.ofEntries(
            entry("events", "eventstore"), entry("stream_heads", "eventstore"), entry("outbox", "eventstore"),
            entry("regions", "reference"), entry("zones", "reference"), entry("industry_chains", "reference"),
            entry("categories", "reference"), entry("stages", "reference"), entry("campaigns", "reference"),
            entry("campaign_targets", "reference"), entry("campaign_history", "campaign"),
            entry("county_shares", "campaign"), entry("county_share_history", "campaign"),
            entry("campaign_settings", "campaign"), entry("campaign_settings_history", "campaign"),
            entry("project_view", "projection"), entry("campaign_figures", "projection"),
            entry("campaign_timeline", "projection"), entry("campaign_progress", "projection"),
            entry("projection_status", "projection"), entry("projection_dead_letters", "projection"),
            entry("consistency_check_result", "projection"), entry("read_model_generation", "projection"),
            entry("recoveries", "recovery"), entry("recovery_lost_events", "recovery"), entry("republishes", "recovery"));

    /** What a room may read of another's tables: the read models, which the projection writes for the read API. */
    private static final Map<String, Set<String>> PUBLISHED = Map.of("query",
            Set.of("project_view", "campaign_figures", "campaign_timeline", "campaign_progress"),
            "followup", Set.of("project_view"));

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

    @Test
    void everyTableHasAnOwner() {
        assertThat(OWNERS.keySet()).as("the tables the migrations create")
                .containsExactlyInAnyOrderElementsOf(RoomSql.created());
    }

    @Test
    void noRoomReachesIntoAnothersTables() {
        assertThat(RoomSql.uses(OWNERS.keySet()))
                .as("SQL of a room naming a table another room owns")
                .filteredOn(use -> !use.room().equals(OWNERS.get(use.table())))
                .filteredOn(use -> use.written() || !PUBLISHED.getOrDefault(use.room(), Set.of()).contains(use.table()))
                .isEmpty();
    }
}
