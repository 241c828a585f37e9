package cn.qxqy.pipeline.query;

import cn.qxqy.pipeline.domain.Ranking;
import cn.qxqy.pipeline.reference.Measure;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * The rankings read's body (排名通报): the counties of a campaign's city ranked against their shares of each target and
 * by investment, beside 时序进度. Amounts are 万元 with 2 fraction digits, project counts whole numbers.
 */
public final class RankingResponses {

    private RankingResponses() {
    }

    @Schema(name = "RankingSchedule", description = "时序进度: elapsedDays (startsOn to day, inclusive) / totalDays "
            + "(startsOn to endsOn, inclusive) × 100, rounded half up to 1 decimal")
    public record Schedule(LocalDate startsOn, LocalDate endsOn, long elapsedDays, long totalDays,
                           BigDecimal percentage) {
    }

    @Schema(name = "RankingThresholds", description = "The campaign's band thresholds on completionRate ÷ 时序进度: at "
            + "least leading 领先, at least normal 正常, at least lagging 滞后, below it 严重滞后")
    public record Thresholds(BigDecimal leading, BigDecimal normal, BigDecimal lagging) {

        static Thresholds of(Ranking.BandThresholds bands) {
            return new Thresholds(bands.leading(), bands.normal(), bands.lagging());
        }
    }

    /**
     * @param share          the county's share of the target; null: none set, the county is not ranked on it (—)
     * @param completionRate reached / share × 100, rounded half up to 1 decimal
     * @param ratioToSchedule (reached / share) / (elapsedDays / totalDays), rounded half up to 2 decimals
     * @param band           by the exact ratio against the thresholds, never the rounded one
     * @param rank           among the counties with a share, by completion rate, ties sharing (1, 1, 3)
     * @param previousRank   the rank on previousDay, as known now
     * @param rankChange     previousRank − rank: positive, the county moved up
     */
    @Schema(name = "CountyStanding", description = "A county's progress against its share of a target")
    public record CountyStanding(String regionCode, String nameZh, String nameEn,
                                 @Schema(nullable = true) BigDecimal share, BigDecimal reached,
                                 @Schema(nullable = true) BigDecimal completionRate,
                                 @Schema(nullable = true) BigDecimal ratioToSchedule,
                                 @Schema(nullable = true) Ranking.Band band,
                                 @Schema(nullable = true) String bandZh,
                                 @Schema(nullable = true) Integer rank,
                                 @Schema(nullable = true) Integer previousRank,
                                 @Schema(nullable = true) Integer rankChange) {
    }

    @Schema(name = "CityLevelReached", description = "The city-level projects (市本级) on a target: shown, not ranked")
    public record CityLevelReached(String regionCode, String nameZh, String nameEn, BigDecimal reached) {
    }

    /**
     * @param cityTarget       the campaign's target
     * @param sharesTotal      the counties' shares summed
     * @param sharesDifference sharesTotal − cityTarget: cities often hand out more than their target
     */
    @Schema(name = "TargetRanking", description = "The counties on one target of the campaign, ranked first, then "
            + "those without a share, in the regions' order")
    public record TargetRanking(String code, String nameZh, String nameEn, Measure measure,
                                @Schema(enumeration = {"projects", "万元"}) String unit, BigDecimal cityTarget,
                                BigDecimal sharesTotal, BigDecimal sharesDifference, List<CountyStanding> counties,
                                CityLevelReached cityLevel) {
    }

    @Schema(name = "CountyInvestment", description = "A county's investment figure and its rank, higher first, ties "
            + "sharing (1, 1, 3)")
    public record CountyInvestment(String regionCode, String nameZh, String nameEn, BigDecimal value, int rank,
                                   @Schema(nullable = true) Integer previousRank,
                                   @Schema(nullable = true) Integer rankChange) {
    }

    @Schema(name = "CityLevelInvestment", description = "The city-level projects' investment figure: shown, not ranked")
    public record CityLevelInvestment(String regionCode, String nameZh, String nameEn, BigDecimal value) {
    }

    @Schema(name = "InvestmentRanking", description = "The counties ranked by an investment figure: planned-investment "
            + "(总投资), signed-investment (签约投资) or investment-this-year (本年完成投资)")
    public record InvestmentRanking(@Schema(enumeration = {"planned-investment", "signed-investment",
            "investment-this-year"}) String code, String nameZh, String nameEn,
                                    @Schema(enumeration = {"万元"}) String unit, List<CountyInvestment> counties,
                                    CityLevelInvestment cityLevel) {
    }

    /**
     * @param asOf        the business date asked for, null: today's answer
     * @param knownAt     the record time asked for, null: what is known now
     * @param day         the day ranked: asOf, or today (the knownAt's day with a knownAt) but at most the campaign's
     *                    endsOn
     * @param previousDay the last day of the month before day's, the ranks compared with; null before startsOn
     */
    @Schema(name = "Rankings", description = "The counties of a campaign's city ranked on each target against their "
            + "shares and 时序进度, and by investment")
    public record Rankings(String campaignId, @Schema(nullable = true) LocalDate asOf,
                           @Schema(nullable = true) Instant knownAt, LocalDate day, Schedule schedule,
                           Thresholds thresholds, @Schema(nullable = true) LocalDate previousDay,
                           List<TargetRanking> targets, List<InvestmentRanking> investments) {
    }
}
