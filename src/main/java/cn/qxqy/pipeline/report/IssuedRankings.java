package cn.qxqy.pipeline.report;

import cn.qxqy.pipeline.domain.Ranking;
import cn.qxqy.pipeline.reference.Measure;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * The schema of an issued 通报's rankings: the rankings read's records ({@code query.RankingResponses}) field for field,
 * each decimal a string as {@link CanonicalJson} writes it. Schema only, like {@link IssuedFigures}: the rankings are
 * that read's answer made canonical, and a field the read gains but these lack breaks the schema
 * ({@code additionalProperties: false}) where the traffic is checked.
 */
@Schema(name = "IssuedRankings", additionalProperties = Schema.False.class,
        description = "An issued bulletin's rankings, read as of its asOf: the rankings read's answer with each decimal "
                + "a string (plain notation, at least 2 decimals), where the live read answers numbers")
public record IssuedRankings(String campaignId, @Schema(nullable = true) LocalDate asOf,
                             @Schema(nullable = true) Instant knownAt, LocalDate day, Schedule schedule,
                             Thresholds thresholds, @Schema(nullable = true) LocalDate previousDay,
                             List<Target> targets, List<Investment> investments) {

    static final String DECIMAL = "^-?[0-9]+\\.[0-9]{2,}$";

    @Schema(name = "IssuedRankingSchedule", additionalProperties = Schema.False.class, description = "时序进度")
    public record Schedule(LocalDate startsOn, LocalDate endsOn, long elapsedDays, long totalDays,
                           @Schema(pattern = DECIMAL) String percentage) {
    }

    @Schema(name = "IssuedRankingThresholds", additionalProperties = Schema.False.class,
            description = "The band thresholds")
    public record Thresholds(@Schema(pattern = DECIMAL) String leading, @Schema(pattern = DECIMAL) String normal,
                             @Schema(pattern = DECIMAL) String lagging) {
    }

    @Schema(name = "IssuedCountyStanding", additionalProperties = Schema.False.class,
            description = "A county on a target as issued (CountyStanding, decimals as strings)")
    public record County(String regionCode, String nameZh, String nameEn,
                         @Schema(nullable = true, pattern = DECIMAL) String share,
                         @Schema(pattern = DECIMAL) String reached,
                         @Schema(nullable = true, pattern = DECIMAL) String completionRate,
                         @Schema(nullable = true, pattern = DECIMAL) String ratioToSchedule,
                         @Schema(nullable = true) Ranking.Band band, @Schema(nullable = true) String bandZh,
                         @Schema(nullable = true) Integer rank, @Schema(nullable = true) Integer previousRank,
                         @Schema(nullable = true) Integer rankChange) {
    }

    @Schema(name = "IssuedCityLevelReached", additionalProperties = Schema.False.class,
            description = "The city level on a target, not ranked")
    public record CityLevel(String regionCode, String nameZh, String nameEn, @Schema(pattern = DECIMAL) String reached) {
    }

    @Schema(name = "IssuedTargetRanking", additionalProperties = Schema.False.class,
            description = "A target's ranking as issued (TargetRanking, decimals as strings)")
    public record Target(String code, String nameZh, String nameEn, Measure measure,
                         @Schema(enumeration = {"projects", "万元"}) String unit,
                         @Schema(pattern = DECIMAL) String cityTarget, @Schema(pattern = DECIMAL) String sharesTotal,
                         @Schema(pattern = DECIMAL) String sharesDifference, List<County> counties,
                         CityLevel cityLevel) {
    }

    @Schema(name = "IssuedCountyInvestment", additionalProperties = Schema.False.class,
            description = "A county's investment figure and rank as issued")
    public record CountyInvestment(String regionCode, String nameZh, String nameEn,
                                   @Schema(pattern = DECIMAL) String value, int rank,
                                   @Schema(nullable = true) Integer previousRank,
                                   @Schema(nullable = true) Integer rankChange) {
    }

    @Schema(name = "IssuedCityLevelInvestment", additionalProperties = Schema.False.class,
            description = "The city level's investment figure, not ranked")
    public record CityLevelInvestment(String regionCode, String nameZh, String nameEn,
                                      @Schema(pattern = DECIMAL) String value) {
    }

    @Schema(name = "IssuedInvestmentRanking", additionalProperties = Schema.False.class,
            description = "An investment ranking as issued (InvestmentRanking, decimals as strings)")
    public record Investment(String code, String nameZh, String nameEn, @Schema(enumeration = {"万元"}) String unit,
                             List<CountyInvestment> counties, CityLevelInvestment cityLevel) {
    }
}
