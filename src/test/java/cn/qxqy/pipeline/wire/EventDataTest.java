package cn.qxqy.pipeline.wire;

import cn.qxqy.pipeline.domain.EventTypes;
import cn.qxqy.pipeline.domain.FieldViolation;
import cn.qxqy.pipeline.domain.ProjectDetails;
import cn.qxqy.pipeline.domain.ProjectEvent.ConstructionStarted;
import cn.qxqy.pipeline.domain.ProjectEvent.InvestmentReported;
import cn.qxqy.pipeline.domain.ProjectEvent.MilestoneRetracted;
import cn.qxqy.pipeline.domain.ProjectEvent.ProjectCompleted;
import cn.qxqy.pipeline.domain.ProjectEvent.ProjectCorrected;
import cn.qxqy.pipeline.domain.ProjectEvent.ProjectReserved;
import cn.qxqy.pipeline.domain.ProjectEvent.ProjectSigned;
import cn.qxqy.pipeline.domain.ProjectEvent.ProjectWithdrawn;
import cn.qxqy.pipeline.domain.ProjectEvent;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The registry of event types and the data format that follows from their records. */
class EventDataTest {

    private static final LocalDate DAY = LocalDate.of(2024, 3, 1);

    /**
     * What each type wrote before the registry (amounts as read: with 2 fraction digits): stored events' request hashes are digests of it, so a re-post of an
     * event stored then must still write the same bytes.
     */
    private static final Map<ProjectEvent, String> WRITTEN = Map.of(
            new ProjectReserved(DAY, new ProjectDetails("兴县铝镁产业园", "2024-qxqy", "141123", "aluminium-magnesium",
                    null, new BigDecimal("120000.50"), null, "兴县经济开发区", null, null, null, null)),
            "{\"name\":\"兴县铝镁产业园\",\"campaignId\":\"2024-qxqy\",\"regionCode\":\"141123\","
                    + "\"industryChain\":\"aluminium-magnesium\",\"categories\":[],\"plannedInvestment\":120000.50,"
                    + "\"zone\":\"兴县经济开发区\"}",
            new ProjectCorrected(DAY, new ProjectDetails(null, null, null, null, List.of("special-bond"), null,
                    new BigDecimal("3000.00"), null, "吕梁市城投", null, null, null)),
            "{\"categories\":[\"special-bond\"],\"annualPlannedInvestment\":3000.00,\"owner\":\"吕梁市城投\"}",
            new ProjectSigned(DAY, new BigDecimal("8000.25"), "美锦能源"),
            "{\"signedInvestment\":8000.25,\"investor\":\"美锦能源\"}",
            new ConstructionStarted(DAY), "{}",
            new ProjectCompleted(DAY), "{}",
            new InvestmentReported(DAY, YearMonth.of(2024, 2), new BigDecimal("0.00")),
            "{\"period\":\"2024-02\",\"investmentToDate\":0.00}",
            new MilestoneRetracted(DAY, "posted in error"), "{\"reason\":\"posted in error\"}",
            new ProjectWithdrawn(DAY, "investor left"), "{\"reason\":\"investor left\"}");

    @Test
    void everyEventRecordIsRegisteredOnceUnderItsOwnName() {
        List<Class<?>> records = new ArrayList<>();
        collectRecords(ProjectEvent.class, records);
        List<Class<?>> registered = EventTypes.ALL.stream().<Class<?>>map(EventTypes.EventType::record).toList();
        assertThat(registered).containsExactlyInAnyOrderElementsOf(records);
        assertThat(EventTypes.NAMES).doesNotHaveDuplicates();
        assertThat(EventTypes.ALL).allSatisfy(type -> assertThat(type.schemaVersion()).isPositive());
    }

    @Test
    void eachTypeWritesTheDataItWroteBeforeTheRegistry() {
        assertThat(WRITTEN.keySet()).extracting(ProjectEvent::type).containsExactlyInAnyOrderElementsOf(EventTypes.NAMES);
        WRITTEN.forEach((event, json) -> assertThat(EventData.write(event).toString()).as(event.type()).isEqualTo(json));
    }

    @Test
    void whatIsWrittenReadsBackAsTheSameEvent() {
        WRITTEN.keySet().forEach(event -> {
            List<FieldViolation> violations = new ArrayList<>();
            ProjectEvent read = EventData.read(EventTypes.of(event), DAY, EventData.write(event), violations);
            assertThat(violations).as(event.type()).isEmpty();
            assertThat(read).as(event.type()).isEqualTo(event);
        });
    }

    @Test
    void aFieldOfAnotherTypeIsRefusedByName() {
        List<FieldViolation> violations = new ArrayList<>();
        ProjectEvent read = EventData.read(EventTypes.named("ProjectSigned").orElseThrow(), DAY,
                EventData.write(new ProjectWithdrawn(DAY, "x")), violations);
        assertThat(read).isNull();
        assertThat(violations).extracting(FieldViolation::field).containsExactly("data.reason");
    }

    @Test
    void theFieldsOfATypeAreItsRecordsComponentsWithTheDetailsFlattened() {
        assertThat(EventData.fields(EventTypes.named("ProjectReserved").orElseThrow()))
                .extracting(EventData.Field::name)
                .containsExactly("name", "campaignId", "regionCode", "industryChain", "categories", "plannedInvestment",
                        "annualPlannedInvestment", "zone", "owner", "projectCode", "plannedStartOn",
                        "plannedCompletionOn");
        assertThat(EventData.fields(EventTypes.named("InvestmentReported").orElseThrow()))
                .extracting(EventData.Field::kind)
                .containsExactly(EventData.Kind.MONTH, EventData.Kind.AMOUNT);
    }

    private static void collectRecords(Class<?> type, List<Class<?>> records) {
        Stream.of(type.getPermittedSubclasses()).forEach(sub -> {
            if (sub.isRecord()) {
                records.add(sub);
            } else {
                collectRecords(sub, records);
            }
        });
    }
}
