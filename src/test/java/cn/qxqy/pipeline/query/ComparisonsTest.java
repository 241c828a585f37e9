package cn.qxqy.pipeline.query;

import cn.qxqy.pipeline.campaign.CampaignWithTargets;
import cn.qxqy.pipeline.domain.FieldViolation;
import cn.qxqy.pipeline.domain.Stage;
import cn.qxqy.pipeline.problem.ProblemException;
import cn.qxqy.pipeline.projection.Figures;
import cn.qxqy.pipeline.projection.Figures.StageFigures;
import cn.qxqy.pipeline.query.ComparisonResponses.Change;
import cn.qxqy.pipeline.query.ComparisonResponses.Comparison;
import cn.qxqy.pipeline.query.ComparisonResponses.Side;
import cn.qxqy.pipeline.reference.Measure;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Comparisons without the service: the deltas, the days each side stands on, and a side that is absent. */
class ComparisonsTest {

    private static final LocalDate TODAY = LocalDate.of(2026, 12, 6);
    private static final TimeAxes JUNE = new TimeAxes(LocalDate.of(2024, 6, 30), null);
    private static final Side THIS = new Side("2024-qxqy", JUNE.asOf(), true);
    private static final Side MAY = new Side("2024-qxqy", LocalDate.of(2024, 5, 31), true);

    @Test
    void everyFigureChangesByItsValueMinusTheOthersAndPercentagesByPercentagePoints() {
        Comparisons.Reading june = reading(figures(12, "3000.50", "800.00", 5),
                List.of(target("signed-100", "10", "100", "10.0")), rate("signing-rate", "41.7"));
        Comparisons.Reading may = reading(figures(9, "2400.25", "650.40", 3),
                List.of(target("signed-100", "7", "100", "7.0")), rate("signing-rate", "33.3"));

        Comparison comparison = Comparisons.compare("2024-qxqy", JUNE, THIS, MAY, june, may);

        assertThat(comparison.headline().projects()).isEqualTo(new Change(BigDecimal.valueOf(12), BigDecimal.valueOf(9), BigDecimal.valueOf(3)));
        assertThat(comparison.headline().plannedInvestment()).isEqualTo(
                new Change(new BigDecimal("3000.50"), new BigDecimal("2400.25"), new BigDecimal("600.25")));
        assertThat(comparison.headline().investmentToDate().delta()).isEqualByComparingTo("149.60");
        assertThat(comparison.headline().investmentThisYear()).isEqualTo(
                new Change(new BigDecimal("400.00"), new BigDecimal("325.20"), new BigDecimal("74.80")));
        assertThat(comparison.headline().stages().SIGNED().reached().delta()).isEqualByComparingTo("2");
        assertThat(comparison.headline().stages().RESERVED().current().delta()).as("fewer now only reserved")
                .isEqualByComparingTo("1");
        assertThat(comparison.targets()).singleElement().satisfies(t -> {
            assertThat(t.actual().delta()).isEqualByComparingTo("3");
            assertThat(t.percentage()).isEqualTo(new Change(new BigDecimal("10.0"), new BigDecimal("7.0"), new BigDecimal("3.0")));
        });
        assertThat(comparison.rates()).singleElement().satisfies(r ->
                assertThat(r.percentage().delta()).as("percentage points").isEqualTo(new BigDecimal("8.4")));
        assertThat(comparison.breakdowns().region()).extracting(ComparisonResponses.BreakdownRowChange::key)
                .containsExactly("141123", "141182");
        assertThat(comparison.breakdowns().region().get(0).figures().projects().delta()).isEqualByComparingTo("3");
        assertThat(comparison.breakdowns().chain().get(0).figures().signedInvestment().against()).isEqualByComparingTo("0.00");
        assertThat(comparison.asOf()).isEqualTo(JUNE.asOf());
        assertThat(comparison.against()).isEqualTo(MAY);
    }

    @Test
    void anAbsentSideHasNullValuesAndNullDeltasAndTheOtherSideKeepsItsOwn() {
        Comparisons.Reading june = reading(figures(12, "3000.50", "800.00", 5),
                List.of(target("signed-100", "10", "100", "10.0")), rate("signing-rate", null));
        Side beforeItsStart = new Side("2024-qxqy", LocalDate.of(2023, 12, 31), false);

        Comparison comparison = Comparisons.compare("2024-qxqy", JUNE, THIS, beforeItsStart, june, null);

        assertThat(comparison.against().present()).isFalse();
        assertThat(comparison.headline().projects()).isEqualTo(new Change(BigDecimal.valueOf(12), null, null));
        assertThat(comparison.headline().stages().COMPLETED().plannedInvestment().delta()).isNull();
        assertThat(comparison.targets()).singleElement().satisfies(t -> {
            assertThat(t.actual().value()).isEqualByComparingTo("10");
            assertThat(t.actual().against()).isNull();
            assertThat(t.percentage().delta()).isNull();
        });
        assertThat(comparison.rates()).singleElement().satisfies(r ->
                assertThat(r.percentage()).as("no denominator yet, and no other side").isEqualTo(new Change(null, null, null)));
        assertThat(comparison.breakdowns().category()).allSatisfy(row -> assertThat(row.figures().projects().delta()).isNull());
    }

    @Test
    void twoCampaignsTargetsArePairedByTheirCodeAndATargetOfOneSideAloneHasNoDelta() {
        Comparisons.Reading thisYear = reading(figures(12, "3000.50", "800.00", 5),
                List.of(target("signed-100", "10", "100", "10.0"), target("new-energy", "4", "20", "20.0")),
                rate("signing-rate", "41.7"));
        Comparisons.Reading lastYear = reading(figures(9, "2400.25", "650.40", 3),
                List.of(target("started-50", "5", "50", "10.0"), target("signed-100", "8", "80", "10.0")),
                rate("signing-rate", "33.3"));

        Comparison comparison = Comparisons.compare("2024-qxqy", JUNE, THIS,
                new Side("2023-qxqy", LocalDate.of(2023, 6, 30), true), thisYear, lastYear);

        assertThat(comparison.targets()).extracting(ComparisonResponses.TargetChange::code)
                .containsExactly("signed-100", "new-energy", "started-50");
        assertThat(comparison.targets().get(0).actual().delta()).isEqualByComparingTo("2");
        assertThat(comparison.targets().get(0).percentage().delta()).isEqualByComparingTo("0.0");
        assertThat(comparison.targets().get(1).actual()).isEqualTo(new Change(new BigDecimal("4"), null, null));
        assertThat(comparison.targets().get(2).actual()).isEqualTo(new Change(null, new BigDecimal("5"), null));
    }

    @Test
    void anotherCampaignIsReadOnTheSameMonthAndDayOfItsYearAndTheTwentyNinthOfFebruaryOnTheTwentyEighth() {
        assertThat(Comparisons.sameDayOfItsYear(LocalDate.of(2024, 6, 30), 2023)).isEqualTo(LocalDate.of(2023, 6, 30));
        assertThat(Comparisons.sameDayOfItsYear(LocalDate.of(2024, 2, 29), 2023)).isEqualTo(LocalDate.of(2023, 2, 28));
        assertThat(Comparisons.sameDayOfItsYear(LocalDate.of(2023, 2, 28), 2024)).isEqualTo(LocalDate.of(2024, 2, 28));
        assertThat(Comparisons.sameDayOfItsYear(LocalDate.of(2024, 12, 31), 2023)).isEqualTo(LocalDate.of(2023, 12, 31));
    }

    @Test
    void withoutAsOfTheDayIsTodayOrTheCampaignsLastDayOnceItIsOver() {
        assertThat(Comparisons.referenceDay(campaign(2024), JUNE, TODAY)).isEqualTo(JUNE.asOf());
        assertThat(Comparisons.referenceDay(campaign(2024), TimeAxes.NOW, TODAY)).isEqualTo(LocalDate.of(2024, 12, 31));
        assertThat(Comparisons.referenceDay(campaign(2026), TimeAxes.NOW, TODAY)).isEqualTo(TODAY);
    }

    @Test
    void aDayBeforeTheCampaignsStartIsNotStartedAndItsCalendarsEndIsWhereItStands() {
        assertThat(Comparisons.started(campaign(2024), LocalDate.of(2023, 12, 31))).isFalse();
        assertThat(Comparisons.started(campaign(2024), LocalDate.of(2024, 1, 1))).isTrue();
        CampaignWithTargets fromMarch = campaign(2024, LocalDate.of(2024, 3, 1), LocalDate.of(2025, 2, 28));
        assertThat(Comparisons.started(fromMarch, LocalDate.of(2024, 2, 29))).isFalse();
        assertThat(Comparisons.started(fromMarch, LocalDate.of(2024, 3, 1))).isTrue();
        assertThat(Comparisons.referenceDay(fromMarch, TimeAxes.NOW, TODAY)).isEqualTo(LocalDate.of(2025, 2, 28));
    }

    @Test
    void againstIsADateOfTheSameCampaignOrElseAnotherCampaignNeverBothNorNeither() {
        assertThat(Comparisons.againstDay("2024-05-31", null, TODAY)).isEqualTo(LocalDate.of(2024, 5, 31));
        assertThat(Comparisons.againstDay(null, "2023-qxqy", TODAY)).isNull();
        assertThat(refusal("2024-05-31", "2023-qxqy")).isEqualTo(FieldViolation.of("against", "comparison.against-one"));
        assertThat(refusal(null, null)).isEqualTo(FieldViolation.of("against", "comparison.against-one"));
        assertThat(refusal("2024-5-31", null)).isEqualTo(FieldViolation.of("against", "json.date"));
        assertThat(refusal("2026-12-07", null)).isEqualTo(FieldViolation.of("against", "date.future"));
    }

    private static FieldViolation refusal(String against, String againstCampaign) {
        ProblemException refused = catchThrowableOfType(ProblemException.class,
                () -> Comparisons.againstDay(against, againstCampaign, TODAY));
        assertThat(refused.problem().status()).isEqualTo(400);
        return refused.problem().errors().get(0);
    }

    private static CampaignWithTargets campaign(int year) {
        return campaign(year, LocalDate.of(year, 1, 1), LocalDate.of(year, 12, 31));
    }

    private static CampaignWithTargets campaign(int year, LocalDate startsOn, LocalDate endsOn) {
        return new CampaignWithTargets(year + "-qxqy", year + "年会战", "Campaign " + year, year, "141100", null,
                startsOn, endsOn, List.of());
    }

    /**
     * A campaign's figures: projects reserved, {@code signed} of them signed, the others only reserved; this year's
     * investment half of the investment to date.
     */
    private static Figures figures(long projects, String planned, String toDate, long signed) {
        BigDecimal none = BigDecimal.ZERO.setScale(2);
        BigDecimal invested = new BigDecimal(toDate);
        return new Figures(projects, 1, new BigDecimal(planned), none, none, invested,
                invested.divide(BigDecimal.valueOf(2), RoundingMode.UNNECESSARY), List.of(
                new StageFigures(projects - signed, projects, none), new StageFigures(signed, signed, none),
                new StageFigures(0, 0, none), new StageFigures(0, 0, none)));
    }

    private static Comparisons.Reading reading(Figures figures, List<CampaignResponses.TargetProgress> targets,
                                               CampaignResponses.RateProgress rate) {
        CampaignResponses.Summary summary = CampaignResponses.Summary.of("c", TimeAxes.NOW, figures);
        return new Comparisons.Reading(summary,
                breakdown("region", List.of(item("141123", figures), item("141182", Figures.ZERO))),
                breakdown("chain", List.of(item("special-steel", figures))),
                breakdown("category", List.of(item("central-budget", figures))),
                new CampaignResponses.Progress("c", null, null, figures.projects(), targets, List.of(rate)));
    }

    private static CampaignResponses.Breakdown breakdown(String by, List<CampaignResponses.BreakdownItem> items) {
        return new CampaignResponses.Breakdown("c", null, null, by, items);
    }

    private static CampaignResponses.BreakdownItem item(String key, Figures figures) {
        return CampaignResponses.BreakdownItem.of(key, key, key, figures);
    }

    private static CampaignResponses.TargetProgress target(String code, String actual, String goal, String percentage) {
        return new CampaignResponses.TargetProgress(code, code, code, Measure.PROJECTS, List.of(), Stage.SIGNED,
                "projects", new BigDecimal(actual), new BigDecimal(goal), new BigDecimal(percentage), "target", "", "");
    }

    private static CampaignResponses.RateProgress rate(String code, String percentage) {
        CampaignResponses.RateSide side = new CampaignResponses.RateSide("x", "x", "x", BigDecimal.ONE);
        return new CampaignResponses.RateProgress(code, code, code, "projects", side, side,
                percentage == null ? null : new BigDecimal(percentage), "", "");
    }
}
