package cn.qxqy.pipeline.report;

import cn.qxqy.pipeline.domain.Stage;
import cn.qxqy.pipeline.reference.Measure;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * The schema of an issued report's figures: the campaign reads' records ({@code query.CampaignResponses}) field for
 * field, each amount a string as {@link CanonicalJson} writes it. Schema only: the figures are those records as read,
 * made canonical. Records holding the amounts as strings to build them from would copy every figure by hand, and a
 * figure added to the reads but not copied would silently vanish from the reports issued. Here, a field the reads
 * gain and these lack breaks the schema ({@code additionalProperties: false}) in OpenApiTrafficTest, and ApiSchemaTest
 * holds the field names of each to its read's.
 */
@Schema(name = "IssuedFigures", additionalProperties = Schema.False.class,
        description = "An issued report's figures, read as of its asOf: the campaign reads' answers with each amount a "
                + "string (万元, plain notation, at least 2 decimals), where the live reads answer numbers")
public record IssuedFigures(Summary summary, Breakdowns breakdowns, Progress progress, Timeline timeline) {

    static final String AMOUNT = "^-?[0-9]+\\.[0-9]{2,}$";
    private static final String AS_STRING = ": a string, plain notation, at least 2 decimals (a number in the live reads)";

    @Schema(name = "IssuedBreakdowns", additionalProperties = Schema.False.class,
            description = "The breakdowns by region, industry chain and category")
    public record Breakdowns(Breakdown region, Breakdown chain, Breakdown category) {
    }

    @Schema(name = "IssuedSummary", additionalProperties = Schema.False.class,
            description = "The campaign's summary as issued (Summary, amounts as strings)")
    public record Summary(String campaignId, @Schema(nullable = true) LocalDate asOf,
                          @Schema(nullable = true, description = "null: an issued report is read as known when issued")
                          Instant knownAt, long projects, long withdrawn,
                          @Schema(pattern = AMOUNT, description = "万元" + AS_STRING) String plannedInvestment,
                          @Schema(pattern = AMOUNT, description = "万元" + AS_STRING) String annualPlannedInvestment,
                          @Schema(pattern = AMOUNT, description = "万元" + AS_STRING) String signedInvestment,
                          @Schema(pattern = AMOUNT, description = "万元" + AS_STRING) String investmentToDate,
                          @Schema(pattern = AMOUNT, description = "本年完成投资, 万元" + AS_STRING) String investmentThisYear,
                          Stages stages) {
    }

    @Schema(name = "IssuedStages", additionalProperties = Schema.False.class,
            description = "Figures per milestone stage as issued (Stages, amounts as strings)")
    public record Stages(StageFigures RESERVED, StageFigures SIGNED, StageFigures STARTED, StageFigures COMPLETED) {
    }

    @Schema(name = "IssuedStageFigures", additionalProperties = Schema.False.class,
            description = "One stage's figures as issued (StageFigures, amounts as strings)")
    public record StageFigures(long current, long reached,
                               @Schema(pattern = AMOUNT, description = "万元" + AS_STRING) String plannedInvestment) {
    }

    @Schema(name = "IssuedBreakdown", additionalProperties = Schema.False.class,
            description = "A breakdown as issued (Breakdown, amounts as strings)")
    public record Breakdown(String campaignId, @Schema(nullable = true) LocalDate asOf,
                            @Schema(nullable = true) Instant knownAt, String by, List<BreakdownItem> items) {
    }

    @Schema(name = "IssuedBreakdownItem", additionalProperties = Schema.False.class,
            description = "One entry of a breakdown as issued (BreakdownItem, amounts as strings)")
    public record BreakdownItem(String key, String name, String nameEn, long projects, long withdrawn,
                                @Schema(pattern = AMOUNT, description = "万元" + AS_STRING) String plannedInvestment,
                                @Schema(pattern = AMOUNT, description = "万元" + AS_STRING) String annualPlannedInvestment,
                                @Schema(pattern = AMOUNT, description = "万元" + AS_STRING) String signedInvestment,
                                @Schema(pattern = AMOUNT, description = "万元" + AS_STRING) String investmentToDate,
                                @Schema(pattern = AMOUNT, description = "本年完成投资, 万元" + AS_STRING) String investmentThisYear,
                                Stages stages) {
    }

    @Schema(name = "IssuedProgress", additionalProperties = Schema.False.class,
            description = "The targets and rates as issued (Progress, figures as strings)")
    public record Progress(String campaignId, @Schema(nullable = true) LocalDate asOf,
                           @Schema(nullable = true) Instant knownAt, long projects, List<TargetProgress> targets,
                           List<RateProgress> rates) {
    }

    @Schema(name = "IssuedTargetProgress", additionalProperties = Schema.False.class,
            description = "A target with its actual figure as issued (TargetProgress, figures as strings)")
    public record TargetProgress(String code, String nameZh, String nameEn, Measure measure, List<String> categories,
                                 @Schema(enumeration = {"SIGNED", "STARTED", "COMPLETED"}, nullable = true)
                                 Stage reachedStage, String unit,
                                 @Schema(pattern = AMOUNT, description = "in the unit" + AS_STRING) String actual,
                                 @Schema(pattern = AMOUNT, description = "in the unit" + AS_STRING) String target,
                                 @Schema(pattern = AMOUNT, description = "actual / target × 100" + AS_STRING)
                                 String percentage, String denominator, String ratioOf, String ratioOfEn) {
    }

    @Schema(name = "IssuedRateSide", additionalProperties = Schema.False.class,
            description = "One side of a rate as issued (RateSide, its value a string)")
    public record RateSide(String code, String nameZh, String nameEn,
                           @Schema(pattern = AMOUNT, description = "the quantity's value" + AS_STRING) String value) {
    }

    @Schema(name = "IssuedRateProgress", additionalProperties = Schema.False.class,
            description = "A rate as issued (RateProgress, figures as strings)")
    public record RateProgress(String code, String nameZh, String nameEn, String unit, RateSide numerator,
                               RateSide denominator,
                               @Schema(nullable = true, pattern = AMOUNT,
                                       description = "null when the denominator is 0" + AS_STRING) String percentage,
                               String definition, String definitionEn) {
    }

    @Schema(name = "IssuedTimeline", additionalProperties = Schema.False.class,
            description = "The monthly timeline as issued (Timeline, amounts as strings)")
    public record Timeline(String campaignId, @Schema(nullable = true) LocalDate asOf,
                           @Schema(nullable = true) Instant knownAt, String granularity, List<Period> periods) {
    }

    @Schema(name = "IssuedPeriod", additionalProperties = Schema.False.class,
            description = "One month of the timeline as issued (Period, amounts as strings)")
    public record Period(String period, Milestones RESERVED, Milestones SIGNED, Milestones STARTED,
                         Milestones COMPLETED, Milestones WITHDRAWN) {
    }

    @Schema(name = "IssuedMilestones", additionalProperties = Schema.False.class,
            description = "A milestone's projects and investment in a month as issued (Milestones, amount as a string)")
    public record Milestones(long projects,
                             @Schema(pattern = AMOUNT, description = "万元" + AS_STRING) String investment) {
    }
}
