package cn.qxqy.pipeline.domain;

import static org.assertj.core.api.Assertions.assertThat;

import cn.qxqy.pipeline.domain.ProjectEvent.ConstructionStarted;
import cn.qxqy.pipeline.domain.ProjectEvent.InvestmentReported;
import cn.qxqy.pipeline.domain.ProjectEvent.MilestoneRetracted;
import cn.qxqy.pipeline.domain.ProjectEvent.ProjectCorrected;
import cn.qxqy.pipeline.domain.ProjectEvent.ProjectReserved;
import cn.qxqy.pipeline.domain.ProjectEvent.ProjectSigned;
import cn.qxqy.pipeline.domain.ProjectEvent.ProjectWithdrawn;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DatedStateTest {

    private static final ProjectReserved RESERVED = new ProjectReserved(LocalDate.of(2024, 3, 10),
            new ProjectDetails("铝镁精深加工项目", "2024-qxqy", "141123", "aluminium-magnesium", List.of("chain-extension"),
                    new BigDecimal("10000.00"), new BigDecimal("4000.00"), null, null, null, null, null));
    private static final ProjectSigned SIGNED_IN_MAY = new ProjectSigned(LocalDate.of(2024, 5, 15),
            new BigDecimal("8000.00"), "甲公司");
    private static final MilestoneRetracted RETRACTED_IN_JULY = new MilestoneRetracted(LocalDate.of(2024, 7, 5), "误报");
    private static final ProjectSigned SIGNED_IN_AUGUST = new ProjectSigned(LocalDate.of(2024, 8, 12),
            new BigDecimal("9000.00"), "乙公司");
    private static final ProjectCorrected MOVED_IN_SEPTEMBER = new ProjectCorrected(LocalDate.of(2024, 9, 3),
            new ProjectDetails(null, null, "141124", null, null, null, null, null, null, null, null, null));

    private static final List<ProjectEvent> WORKED_EXAMPLE =
            List.of(RESERVED, SIGNED_IN_MAY, RETRACTED_IN_JULY, SIGNED_IN_AUGUST, MOVED_IN_SEPTEMBER);

    @Test
    void aRetractedSigningNeverHappenedAtAnyDateOnceTheRetractionIsKnown() {
        DatedState known = DatedState.of(WORKED_EXAMPLE);

        assertThat(stage(known, 5, 31)).isEqualTo(Stage.RESERVED);
        assertThat(stage(known, 7, 31)).isEqualTo(Stage.RESERVED);
        assertThat(known.asOf(day(8, 31)).state().signing().signedInvestment()).isEqualByComparingTo("9000");
    }

    @Test
    void beforeTheRetractionWasKnownTheSigningCountedFromItsDate() {
        DatedState before = DatedState.of(WORKED_EXAMPLE.subList(0, 2));

        assertThat(stage(before, 5, 14)).isEqualTo(Stage.RESERVED);
        assertThat(stage(before, 5, 31)).isEqualTo(Stage.SIGNED);
        assertThat(before.asOf(day(7, 31)).state().signing().signedInvestment()).isEqualByComparingTo("8000");
    }

    @Test
    void aMoveToAnotherCountyCountsFromItsOwnDateAndTheProjectCountsWhereItWasBefore() {
        DatedState known = DatedState.of(WORKED_EXAMPLE);

        assertThat(known.asOf(day(8, 31)).state().details().regionCode()).isEqualTo("141123");
        assertThat(known.asOf(day(9, 2)).state().details().regionCode()).isEqualTo("141123");
        assertThat(known.asOf(day(9, 30)).state().details().regionCode()).isEqualTo("141124");
    }

    @Test
    void aMoveMovesOnlyWhatItChangesFromItsOwnDateWhateverOrderTheMovesCameIn() {
        DatedState moved = DatedState.of(List.of(RESERVED,
                new ProjectCorrected(LocalDate.of(2024, 9, 15),
                        new ProjectDetails(null, null, "141124", null, null, null, null, null, null, null, null, null)),
                new ProjectCorrected(LocalDate.of(2024, 4, 1),
                        new ProjectDetails(null, "2024-other", null, null, null, null, null, null, null, null, null, null))));

        ProjectDetails inMay = moved.asOf(day(5, 31)).state().details();
        ProjectDetails inOctober = moved.asOf(day(10, 1)).state().details();

        assertThat(List.of(inMay.campaignId(), inMay.regionCode())).containsExactly("2024-other", "141123");
        assertThat(List.of(inOctober.campaignId(), inOctober.regionCode())).containsExactly("2024-other", "141124");
    }

    @Test
    void aCorrectionOfAnythingButThePlaceAppliesAtEveryDate() {
        DatedState corrected = DatedState.of(List.of(RESERVED, new ProjectCorrected(LocalDate.of(2024, 9, 1),
                new ProjectDetails("更正后的名称", null, null, null, null, new BigDecimal("12000.00"), null, null, null, null, null, null))));

        assertThat(corrected.asOf(day(3, 10)).state().details().name()).isEqualTo("更正后的名称");
        assertThat(corrected.asOf(day(3, 10)).state().details().plannedInvestment()).isEqualByComparingTo("12000");
    }

    @Test
    void aProjectDoesNotExistBeforeItsReservation() {
        DatedState known = DatedState.of(WORKED_EXAMPLE);

        assertThat(known.asOf(day(3, 9)).state().isKnown()).isFalse();
        assertThat(known.asOf(day(3, 10)).state().stage()).isEqualTo(Stage.RESERVED);
    }

    @Test
    void aReportCountsFromItsPeriodsLastDayAndALateReportForAnEarlierPeriodFillsItsMonths() {
        DatedState reported = DatedState.of(List.of(RESERVED, new ConstructionStarted(LocalDate.of(2024, 4, 1)),
                report(2024, 5, "100.00"), report(2024, 7, "300.00"), report(2024, 6, "200.00")));

        assertThat(reported.asOf(day(5, 30)).state().report().investmentToDate()).isNull();
        assertThat(reported.asOf(day(5, 31)).state().report().investmentToDate()).isEqualByComparingTo("100");
        assertThat(reported.asOf(day(6, 30)).state().report().investmentToDate()).isEqualByComparingTo("200");
        assertThat(reported.asOf(day(8, 1)).state().report().investmentToDate()).isEqualByComparingTo("300");
        assertThat(reported.current().report().investmentToDate()).isEqualByComparingTo("300");
    }

    @Test
    void investmentThisYearIsTheLatestReportLessTheLatestOfTheYearBefore() {
        DatedState reported = DatedState.of(List.of(RESERVED, new ConstructionStarted(LocalDate.of(2024, 4, 1)),
                report(2024, 11, "500.00"), report(2024, 12, "600.00"), report(2025, 2, "750.00")));

        assertThat(reported.asOf(day(12, 31)).investmentThisYear()).isEqualByComparingTo("600");
        assertThat(reported.asOf(LocalDate.of(2025, 1, 31)).investmentThisYear()).isEqualByComparingTo("0");
        assertThat(reported.asOf(LocalDate.of(2025, 2, 28)).investmentThisYear()).isEqualByComparingTo("150");
        assertThat(reported.asOf(LocalDate.of(2026, 3, 31)).investmentThisYear()).isEqualByComparingTo("0");
    }

    @Test
    void aWithdrawalCountsFromItsDate() {
        DatedState withdrawn = DatedState.of(List.of(RESERVED, new ProjectWithdrawn(LocalDate.of(2024, 6, 1), "调整")));

        assertThat(stage(withdrawn, 5, 31)).isEqualTo(Stage.RESERVED);
        assertThat(stage(withdrawn, 6, 1)).isEqualTo(Stage.WITHDRAWN);
    }

    @Test
    void farEnoughAheadTheProjectIsAsItsWholeHistoryMakesIt() {
        DatedState known = DatedState.of(WORKED_EXAMPLE);

        assertThat(known.asOf(LocalDate.of(2030, 1, 1)).state()).isEqualTo(known.current());
    }

    /** Between two change dates, and after the last, every day answers as the change date before it. */
    @Test
    void theAnswerChangesOnlyOnTheChangeDates() {
        Random random = new Random(25);
        for (int history = 0; history < 200; history++) {
            DatedState state = DatedState.of(randomHistory(random));
            LocalDate last = state.changeDates().first();
            for (LocalDate day = LocalDate.of(2024, 1, 1); day.isBefore(LocalDate.of(2026, 3, 1)); day = day.plusDays(1)) {
                if (state.changeDates().contains(day)) {
                    last = day;
                } else if (!day.isBefore(state.changeDates().first())) {
                    assertThat(state.asOf(day)).as("history %d on %s", history, day).isEqualTo(state.asOf(last));
                }
            }
        }
    }

    private static List<ProjectEvent> randomHistory(Random random) {
        LocalDate on = LocalDate.of(2024, 1, 1).plusDays(random.nextInt(200));
        List<ProjectEvent> events = new java.util.ArrayList<>(List.of(new ProjectReserved(on, RESERVED.details())));
        if (random.nextBoolean()) {
            events.add(new ProjectSigned(on = on.plusDays(random.nextInt(60)), new BigDecimal("5000.00"), "甲"));
        }
        events.add(new ConstructionStarted(on = on.plusDays(random.nextInt(60))));
        for (int i = random.nextInt(5); i > 0; i--) {
            YearMonth period = YearMonth.from(on).plusMonths(random.nextInt(14) - 2);
            events.add(new InvestmentReported(on, period, BigDecimal.valueOf(random.nextInt(10000), 2)));
        }
        if (random.nextBoolean()) {
            events.add(new ProjectCorrected(on.plusDays(random.nextInt(90) - 45),
                    new ProjectDetails(null, null, random.nextBoolean() ? "141124" : "141125", null, null, null, null,
                            null, null, null, null, null)));
        }
        if (random.nextInt(3) == 0) {
            events.add(new MilestoneRetracted(on, "误报"));
        }
        if (random.nextInt(4) == 0) {
            events.add(new ProjectWithdrawn(on.plusDays(random.nextInt(60)), "调整"));
        }
        return events;
    }

    private static InvestmentReported report(int year, int month, String amount) {
        return new InvestmentReported(LocalDate.of(year, month, 28), YearMonth.of(year, month), new BigDecimal(amount));
    }

    private static Stage stage(DatedState state, int month, int dayOfMonth) {
        return state.asOf(day(month, dayOfMonth)).state().stage();
    }

    private static LocalDate day(int month, int dayOfMonth) {
        return LocalDate.of(2024, month, dayOfMonth);
    }
}
