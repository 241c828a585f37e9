package cn.qxqy.pipeline.query;

import cn.qxqy.pipeline.projection.Figures.StageFigures;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * The body of a comparison (环比 between two dates, 同比 between two campaigns), one record each so that
 * {@code /q/openapi} names every field. Every figure is a {@link Change}: its value on each side and the delta.
 */
public final class ComparisonResponses {

    private ComparisonResponses() {
    }

    @Schema(name = "ComparisonChange", description = "A figure on both sides: value (this side), against (the other "
            + "side) and delta = value − against; for a percentage the delta is in percentage points. A value is null "
            + "where its side is absent or has no such figure, and then the delta is null too.")
    public record Change(@Schema(nullable = true) BigDecimal value, @Schema(nullable = true) BigDecimal against,
                         @Schema(nullable = true) BigDecimal delta) {

        static Change of(BigDecimal value, BigDecimal against) {
            return new Change(value, against, value == null || against == null ? null : value.subtract(against));
        }

        static Change of(Long value, Long against) {
            return of(value == null ? null : BigDecimal.valueOf(value), against == null ? null : BigDecimal.valueOf(against));
        }
    }

    @Schema(name = "ComparisonStage", description = "A milestone stage's figures compared: projects in it, projects that reached it, their planned investment")
    public record StageChange(Change current, Change reached, Change plannedInvestment) {

        static StageChange of(StageFigures value, StageFigures against) {
            return new StageChange(
                    Change.of(value == null ? null : value.current(), against == null ? null : against.current()),
                    Change.of(value == null ? null : value.reached(), against == null ? null : against.reached()),
                    Change.of(value == null ? null : value.plannedInvestment(), against == null ? null : against.plannedInvestment()));
        }
    }

    @Schema(name = "ComparisonStages", description = "Each milestone stage compared")
    public record StageChanges(StageChange RESERVED, StageChange SIGNED, StageChange STARTED, StageChange COMPLETED) {
    }

    @Schema(name = "ComparisonFigures", description = "The summary's figures (or a breakdown row's) compared; amounts in 万元")
    public record FigureChanges(Change projects, Change withdrawn, Change plannedInvestment,
                                Change annualPlannedInvestment, Change signedInvestment, Change investmentToDate,
                                Change investmentThisYear, StageChanges stages) {
    }

    @Schema(name = "ComparisonBreakdownRow", description = "One region, industry chain or category, its figures compared")
    public record BreakdownRowChange(String key, String name, String nameEn, FigureChanges figures) {
    }

    @Schema(name = "ComparisonBreakdowns", description = "Every row of the three breakdowns compared, in the reference lists' order")
    public record BreakdownChanges(List<BreakdownRowChange> region, List<BreakdownRowChange> chain,
                                   List<BreakdownRowChange> category) {
    }

    @Schema(name = "ComparisonTarget", description = "A target's actual figure and percentage compared (the percentage's delta in percentage points)")
    public record TargetChange(String code, String nameZh, String nameEn, String unit, Change actual, Change percentage) {
    }

    @Schema(name = "ComparisonRate", description = "A rate's percentage compared, in percentage points")
    public record RateChange(String code, String nameZh, String nameEn, Change percentage) {
    }

    @Schema(name = "ComparisonSide", description = "What one side reads: a campaign as of a day. Absent (present false, "
            + "its values null) when that day is before the campaign's startsOn, or not yet come.")
    public record Side(String campaignId,
                       @Schema(nullable = true, description = "the business date read; null: no asOf, today's answer") LocalDate asOf,
                       boolean present) {
    }

    @Schema(name = "Comparison", description = "A campaign's headline figures, targets, rates and breakdown rows "
            + "compared with another date (环比) or with another campaign at the same point of its year (同比)")
    public record Comparison(String campaignId,
                             @Schema(nullable = true, description = "the asOf asked for") LocalDate asOf,
                             @Schema(nullable = true, description = "the knownAt asked for, both sides'") Instant knownAt,
                             Side side, Side against, FigureChanges headline, List<TargetChange> targets,
                             List<RateChange> rates, BreakdownChanges breakdowns) {
    }
}
