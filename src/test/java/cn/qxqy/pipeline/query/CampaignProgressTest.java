package cn.qxqy.pipeline.query;

import cn.qxqy.pipeline.campaign.TargetDefinition;
import cn.qxqy.pipeline.domain.Stage;
import cn.qxqy.pipeline.reference.Measure;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * A campaign's targets and rates, summed from its progress groups (the active projects grouped by their categories
 * and the milestones they hold, as the projector keeps them in {@code campaign_progress}). That the groups are the
 * active projects is {@code projection.AggregatesTest}'s; that a read answers with them, {@link CampaignProgressReadTest}'s.
 */
class CampaignProgressTest {

    private static final List<TargetDefinition> TARGETS = List.of(
            target("projects", Measure.PROJECTS, List.of(), null, "5"),
            target("annual", Measure.ANNUAL_PLANNED_INVESTMENT, List.of(), null, "1000.00"),
            target("budget-or-bond", Measure.PROJECTS, List.of("central-budget", "special-bond"), null, "3"),
            target("private-signed", Measure.PROJECTS, List.of("private-capital"), Stage.SIGNED, "2"),
            target("private-started", Measure.PROJECTS, List.of("private-capital"), Stage.STARTED, "3"),
            target("completed", Measure.PROJECTS, List.of(), Stage.COMPLETED, "10"));

    private static final List<CampaignProgress.Group> GROUPS = List.of(
            // Signed, started, reported: in private-capital and chain-extension.
            group(Set.of("private-capital", "chain-extension"), true, true, 1, "300.50", "100.25", "60.25"),
            // A government project: started without a signing.
            group(Set.of("central-budget"), false, true, 1, "200.00", "50.00", "50.00"),
            // In both categories of one target: counts once there.
            group(Set.of("special-bond", "central-budget"), true, false, 1, "100.00", "0.00", "0.00"),
            // Two reserved only, no category, no annual plan.
            group(Set.of(), false, false, 2, "0.00", "0.00", "0.00"));

    @Test
    void eachTargetCountsTheProjectsInAnyOfItsCategoriesThatReachedItsStage() {
        CampaignResponses.Progress progress = CampaignProgress.of("c", TimeAxes.NOW, TARGETS, GROUPS);

        assertThat(progress.projects()).isEqualTo(5);
        assertThat(progress.targets()).extracting(CampaignResponses.TargetProgress::code,
                        CampaignResponses.TargetProgress::actual, CampaignResponses.TargetProgress::percentage)
                .containsExactly(
                        tuple("projects", new BigDecimal("5"), new BigDecimal("100.0")),
                        tuple("annual", new BigDecimal("600.50"), new BigDecimal("60.1")),
                        tuple("budget-or-bond", new BigDecimal("2"), new BigDecimal("66.7")),
                        tuple("private-signed", new BigDecimal("1"), new BigDecimal("50.0")),
                        tuple("private-started", new BigDecimal("1"), new BigDecimal("33.3")),
                        tuple("completed", new BigDecimal("0"), new BigDecimal("0.0")));
    }

    @Test
    void eachTargetSaysWhatItIsAShareOfInItsUnit() {
        CampaignResponses.Progress progress = CampaignProgress.of("c", TimeAxes.NOW, TARGETS, GROUPS);

        CampaignResponses.TargetProgress projects = progress.targets().get(0);
        assertThat(projects.unit()).isEqualTo("projects");
        assertThat(projects.denominator()).isEqualTo("target");
        assertThat(projects.ratioOf()).isEqualTo("目标 projects / 目标 5");
        assertThat(projects.ratioOfEn()).isEqualTo("Target projects / target 5");
        assertThat(progress.targets().get(1).unit()).isEqualTo("万元");
    }

    @Test
    void eachRateNamesItsNumeratorAndDenominator() {
        CampaignResponses.Progress progress = CampaignProgress.of("c", TimeAxes.NOW, TARGETS, GROUPS);

        assertThat(progress.rates()).extracting(CampaignResponses.RateProgress::code,
                        r -> r.numerator().code(), r -> r.numerator().value(),
                        r -> r.denominator().code(), r -> r.denominator().value(),
                        CampaignResponses.RateProgress::percentage)
                .containsExactly(
                        // Of the signed projects: the government project started without a signing is not one.
                        tuple("start-rate-of-signed", "signed-and-started", new BigDecimal("1"),
                                "signed", new BigDecimal("2"), new BigDecimal("50.0")),
                        tuple("start-rate-of-planned", "started", new BigDecimal("2"),
                                "planned-to-start", new BigDecimal("5"), new BigDecimal("40.0")),
                        tuple("signing-rate", "signed", new BigDecimal("2"),
                                "active", new BigDecimal("5"), new BigDecimal("40.0")),
                        // This year's investment, not the cumulative 150.25, against the year's plan.
                        tuple("investment-completion-rate", "investment-this-year", new BigDecimal("110.25"),
                                "annual-planned-investment", new BigDecimal("600.50"), new BigDecimal("18.4")));
        assertThat(progress.rates().get(0).definition()).isEqualTo("签约项目开工率 = 已签约且已开工项目数 / 已签约项目数 × 100%");
        assertThat(progress.rates().get(3).definition()).isEqualTo("投资完成率 = 本年完成投资(万元) / 年度计划投资(万元) × 100%");
        assertThat(progress.rates().get(3).definitionEn())
                .isEqualTo("Investment completion rate = Investment this year (10k CNY) / Annual planned investment (10k CNY) × 100%");
    }

    @Test
    void aCampaignWithoutProjectsHasZeroActualsAndNoRatePercentages() {
        CampaignResponses.Progress progress = CampaignProgress.of("c", TimeAxes.NOW, TARGETS, List.of());

        assertThat(progress.projects()).isZero();
        assertThat(progress.targets()).extracting(CampaignResponses.TargetProgress::actual)
                .containsExactly(new BigDecimal("0"), new BigDecimal("0.00"), new BigDecimal("0"), new BigDecimal("0"),
                        new BigDecimal("0"), new BigDecimal("0"));
        assertThat(progress.targets()).extracting(CampaignResponses.TargetProgress::percentage)
                .containsOnly(new BigDecimal("0.0"));
        assertThat(progress.rates()).hasSize(4).extracting(CampaignResponses.RateProgress::percentage).containsOnlyNulls();
    }

    @Test
    void percentagesRoundHalfUpToOneDecimal() {
        assertThat(CampaignProgress.percentage(new BigDecimal("1"), new BigDecimal("8"))).isEqualTo("12.5");
        assertThat(CampaignProgress.percentage(new BigDecimal("1"), new BigDecimal("16"))).isEqualTo("6.3");
        assertThat(CampaignProgress.percentage(new BigDecimal("2"), new BigDecimal("3"))).isEqualTo("66.7");
        assertThat(CampaignProgress.percentage(new BigDecimal("3"), new BigDecimal("0"))).isNull();
    }

    private static TargetDefinition target(String code, Measure measure, List<String> categories, Stage reached,
                                           String target) {
        return new TargetDefinition(code, "目标 " + code, "Target " + code, measure, categories, reached,
                new BigDecimal(target));
    }

    private static CampaignProgress.Group group(Set<String> categories, boolean signed, boolean started, long projects,
                                                String annual, String toDate, String thisYear) {
        return new CampaignProgress.Group(categories, signed, started, false, projects, new BigDecimal(annual),
                new BigDecimal(toDate), new BigDecimal(thisYear));
    }
}
