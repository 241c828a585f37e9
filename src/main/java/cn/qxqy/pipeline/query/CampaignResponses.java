package cn.qxqy.pipeline.query;

import cn.qxqy.pipeline.domain.Stage;
import cn.qxqy.pipeline.projection.Figures;
import cn.qxqy.pipeline.reference.Measure;
import cn.qxqy.pipeline.projection.Figures.StageFigures;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * The bodies the campaign reads answer, one record each, so that {@code /q/openapi} names every field for the
 * frontends generated from it. Amounts are 万元 with 2 fraction digits.
 */
public final class CampaignResponses {

    private CampaignResponses() {
    }

    @Schema(description = "Figures per milestone stage: projects in it now, projects that reached it, their planned investment")
    public record Stages(StageFigures RESERVED, StageFigures SIGNED, StageFigures STARTED, StageFigures COMPLETED) {

        static Stages of(Figures figures) {
            Map<String, StageFigures> byName = figures.stagesByName();
            return new Stages(byName.get(Stage.RESERVED.name()), byName.get(Stage.SIGNED.name()),
                    byName.get(Stage.STARTED.name()), byName.get(Stage.COMPLETED.name()));
        }
    }

    /**
     * @param asOf    the business date asked for (截至日期), null: today's answer
     * @param knownAt the record time asked for, null: what is known now
     * @param investmentThisYear 本年完成投资: the latest report by the day less the latest by the year before's end
     */
    @Schema(description = "Counts and investment totals of a campaign's active (not withdrawn) projects, as of a day")
    public record Summary(String campaignId, @Schema(nullable = true) LocalDate asOf,
                          @Schema(nullable = true) Instant knownAt, long projects, long withdrawn,
                          BigDecimal plannedInvestment, BigDecimal annualPlannedInvestment, BigDecimal signedInvestment,
                          BigDecimal investmentToDate, BigDecimal investmentThisYear, Stages stages) {

        static Summary of(String campaignId, TimeAxes axes, Figures f) {
            return new Summary(campaignId, axes.asOf(), axes.knownAt(), f.projects(), f.withdrawn(),
                    f.plannedInvestment(), f.annualPlannedInvestment(), f.signedInvestment(), f.investmentToDate(),
                    f.investmentThisYear(), Stages.of(f));
        }
    }

    @Schema(description = "The summary's figures for one region, industry chain or category")
    public record BreakdownItem(String key, String name, String nameEn, long projects, long withdrawn,
                                BigDecimal plannedInvestment, BigDecimal annualPlannedInvestment,
                                BigDecimal signedInvestment, BigDecimal investmentToDate, BigDecimal investmentThisYear,
                                Stages stages) {

        static BreakdownItem of(String key, String name, String nameEn, Figures f) {
            return new BreakdownItem(key, name, nameEn, f.projects(), f.withdrawn(), f.plannedInvestment(),
                    f.annualPlannedInvestment(), f.signedInvestment(), f.investmentToDate(), f.investmentThisYear(),
                    Stages.of(f));
        }
    }

    @Schema(description = "A campaign's figures per entry of a dimension (by: region, chain or category), every entry listed")
    public record Breakdown(String campaignId, @Schema(nullable = true) LocalDate asOf,
                            @Schema(nullable = true) Instant knownAt, String by, List<BreakdownItem> items) {
    }

    @Schema(description = "Projects that reached a milestone in a month, and the investment involved")
    public record Milestones(long projects, BigDecimal investment) {

        static final Milestones NONE = new Milestones(0, BigDecimal.ZERO.setScale(2));
    }

    @Schema(description = "One month of the timeline: each milestone's projects and investment")
    public record Period(String period, Milestones RESERVED, Milestones SIGNED, Milestones STARTED,
                         Milestones COMPLETED, Milestones WITHDRAWN) {
    }

    @Schema(description = "Milestones per month of their date (occurredOn), over projects still active")
    public record Timeline(String campaignId, @Schema(nullable = true) LocalDate asOf,
                           @Schema(nullable = true) Instant knownAt, String granularity, List<Period> periods) {
    }

    @Schema(description = "A target with its actual figure; percentage = actual / target × 100, rounded half up to 1 decimal")
    public record TargetProgress(String code, String nameZh, String nameEn, Measure measure, List<String> categories,
                                 @Schema(enumeration = {"SIGNED", "STARTED", "COMPLETED"}, nullable = true)
                                 Stage reachedStage, String unit, BigDecimal actual, BigDecimal target,
                                 BigDecimal percentage, String denominator, String ratioOf, String ratioOfEn) {
    }

    @Schema(description = "One side of a rate: the quantity and its value")
    public record RateSide(String code, String nameZh, String nameEn, BigDecimal value) {
    }

    @Schema(description = "A rate with its numerator and denominator; percentage is null when the denominator is 0")
    public record RateProgress(String code, String nameZh, String nameEn, String unit, RateSide numerator,
                               RateSide denominator, @Schema(nullable = true) BigDecimal percentage, String definition, String definitionEn) {
    }

    @Schema(description = "Each target of a campaign with its actual figure, and the rates in use")
    public record Progress(String campaignId, @Schema(nullable = true) LocalDate asOf,
                           @Schema(nullable = true) Instant knownAt, long projects, List<TargetProgress> targets,
                           List<RateProgress> rates) {
    }
}
