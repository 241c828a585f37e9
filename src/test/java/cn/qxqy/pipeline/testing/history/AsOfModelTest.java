package cn.qxqy.pipeline.testing.history;

import static cn.qxqy.pipeline.testing.history.ReferenceModel.CORRECTED;
import static cn.qxqy.pipeline.testing.history.ReferenceModel.REPORTED;
import static cn.qxqy.pipeline.testing.history.ReferenceModel.RESERVED;
import static cn.qxqy.pipeline.testing.history.ReferenceModel.RETRACTED;
import static cn.qxqy.pipeline.testing.history.ReferenceModel.SIGNED;
import static cn.qxqy.pipeline.testing.history.ReferenceModel.STARTED;
import static cn.qxqy.pipeline.testing.history.ReferenceModel.WITHDRAWN;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The property test's model on the issue's own cases, so that a failure of the property test points at the service
 * and not at the model: README's worked example, moves stored late, reports by their period's end and 本年完成投资.
 */
class AsOfModelTest {

    private final List<HistoryEvent> stored = new ArrayList<>();

    private void store(String type, String on, Map<String, Object> data) {
        stored.add(HistoryEvent.of("example", 201, "P", type, LocalDate.parse(on), new LinkedHashMap<>(data)));
    }

    private AsOfModel.Dated at(String day) {
        return at(day, stored.size());
    }

    private AsOfModel.Dated at(String day, int known) {
        return AsOfModel.asOf(stored, known, LocalDate.parse(day)).get("P");
    }

    private void reserve(String on) {
        store(RESERVED, on, Map.of("name", "例", "campaignId", "A", "regionCode", "141123",
                "industryChain", "coal", "categories", List.of(), "plannedInvestment", new BigDecimal("5000")));
    }

    @Test
    void theWorkedExampleReadsTheRetractedSigningAsNeverMadeOnceItIsKnownAndTheMoveFromItsDate() {
        reserve("2024-03-10");
        store(SIGNED, "2024-05-20", Map.of("signedInvestment", new BigDecimal("3000"), "investor", "甲"));
        int beforeRetraction = stored.size();
        store(RETRACTED, "2024-07-05", Map.of("reason", "录入错误"));
        store(SIGNED, "2024-08-12", Map.of("signedInvestment", new BigDecimal("4000"), "investor", "乙"));
        store(CORRECTED, "2024-09-15", Map.of("regionCode", "141124"));

        assertThat(at("2024-05-31", beforeRetraction).project())
                .extracting(p -> p.stage, p -> p.signedInvestment, p -> p.signedOn)
                .containsExactly("SIGNED", new BigDecimal("3000"), LocalDate.of(2024, 5, 20));
        assertThat(at("2024-07-31", beforeRetraction).project().stage).isEqualTo("SIGNED");
        assertThat(at("2024-05-31").project()).extracting(p -> p.stage, p -> p.signedInvestment, p -> p.signedOn)
                .containsExactly("RESERVED", null, null);
        assertThat(at("2024-07-31").project().stage).isEqualTo("RESERVED");
        assertThat(at("2024-08-31").project())
                .extracting(p -> p.stage, p -> p.signedInvestment, p -> p.regionCode)
                .containsExactly("SIGNED", new BigDecimal("4000"), "141123");
        assertThat(at("2024-09-30").project()).extracting(p -> p.stage, p -> p.regionCode)
                .containsExactly("SIGNED", "141124");
        assertThat(at("2024-03-09")).as("not reserved yet").isNull();
        assertThat(at("2024-09-30", 0)).as("nothing stored yet").isNull();
    }

    @Test
    void aMoveStoredLateButDatedEarlierCountsFromItsDateAndLeavesTheOtherAxisOfPlaceAlone() {
        reserve("2024-03-10");
        store(CORRECTED, "2024-09-15", Map.of("regionCode", "141124"));
        store(CORRECTED, "2024-04-01", Map.of("campaignId", "B"));
        store(CORRECTED, "2024-06-01", Map.of("regionCode", "141125"));

        assertThat(at("2024-03-31").project()).extracting(p -> p.campaignId, p -> p.regionCode)
                .containsExactly("A", "141123");
        assertThat(at("2024-05-31").project()).extracting(p -> p.campaignId, p -> p.regionCode)
                .containsExactly("B", "141123");
        assertThat(at("2024-07-31").project().regionCode).isEqualTo("141125");
        assertThat(at("2024-09-30").project().regionCode).as("the last county move in history order of those dated")
                .isEqualTo("141125");
    }

    @Test
    void aReportCountsFromItsPeriodsEndTheLatestPeriodsLastReportWinsAndTheYearStartsFromDecember() {
        reserve("2023-11-01");
        store(STARTED, "2023-11-05", Map.of());
        store(REPORTED, "2024-01-03", Map.of("period", "2023-12", "investmentToDate", new BigDecimal("100")));
        store(REPORTED, "2024-07-02", Map.of("period", "2024-06", "investmentToDate", new BigDecimal("400")));
        store(REPORTED, "2024-05-03", Map.of("period", "2024-04", "investmentToDate", new BigDecimal("250")));
        store(REPORTED, "2024-07-09", Map.of("period", "2024-06", "investmentToDate", new BigDecimal("420")));

        assertThat(at("2024-06-29")).extracting(d -> d.project().investmentToDate, d -> d.project().period.toString(),
                AsOfModel.Dated::investmentThisYear).containsExactly(new BigDecimal("250"), "2024-04", new BigDecimal("150"));
        assertThat(at("2024-06-30")).extracting(d -> d.project().investmentToDate, AsOfModel.Dated::investmentThisYear)
                .containsExactly(new BigDecimal("420"), new BigDecimal("320"));
        assertThat(at("2023-12-31")).extracting(d -> d.project().investmentToDate, AsOfModel.Dated::investmentThisYear)
                .containsExactly(new BigDecimal("100"), new BigDecimal("100"));
        assertThat(at("2025-03-01").investmentThisYear()).as("nothing reported since 31 December").isZero();
    }

    @Test
    void aWithdrawalCountsFromItsDateAndTheStageBeforeItIsTheLastMilestoneDatedByTheDay() {
        reserve("2024-03-10");
        store(STARTED, "2024-04-01", Map.of());
        store(WITHDRAWN, "2024-08-01", Map.of("reason", "终止"));

        assertThat(at("2024-03-31").project().stage).isEqualTo("RESERVED");
        assertThat(at("2024-07-31").project()).extracting(p -> p.stage, ModelProject::active)
                .containsExactly("STARTED", true);
        assertThat(at("2024-08-01").project()).extracting(p -> p.stage, ModelProject::active)
                .containsExactly("WITHDRAWN", false);
    }
}
