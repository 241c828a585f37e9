package cn.qxqy.pipeline.query;

import cn.qxqy.pipeline.campaign.CampaignSettings;
import cn.qxqy.pipeline.campaign.CampaignWithTargets;
import cn.qxqy.pipeline.campaign.Campaigns;
import cn.qxqy.pipeline.campaign.CountyShares;
import cn.qxqy.pipeline.campaign.CountyUnit;
import cn.qxqy.pipeline.campaign.TargetDefinition;
import cn.qxqy.pipeline.domain.Ranking;
import cn.qxqy.pipeline.projection.FigureKey;
import cn.qxqy.pipeline.projection.Figures;
import cn.qxqy.pipeline.reference.Measure;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The counties of a campaign's city ranked against their shares of its targets and by investment (排名通报), as of a
 * day on the two time axes. Each county's reached is what the campaign's progress counts ({@link CampaignProgress}),
 * over the county's rows of campaign_progress; the investments are the region breakdown's. Both are aggregates of a
 * few rows per county and day, whatever the number of projects, so the read is computed on demand, not kept.
 */
@ApplicationScoped
public class Rankings {

    private static final String PROJECTS = "projects";
    private static final String WAN_YUAN = "万元";

    /** An investment figure the counties are ranked by, higher first. */
    private record Investment(String code, String nameZh, String nameEn, Function<Figures, BigDecimal> value) {
    }

    private static final List<Investment> INVESTMENTS = List.of(
            new Investment("planned-investment", "总投资", "Planned investment", Figures::plannedInvestment),
            new Investment("signed-investment", "签约投资", "Signed investment", Figures::signedInvestment),
            new Investment("investment-this-year", "本年完成投资", "Investment this year", Figures::investmentThisYear));

    /** What a ranking on a day is computed from: the campaign's definition and shares, and the read models then. */
    private record Standing(List<TargetDefinition> targets, CountyShares shares,
                            Map<String, List<CampaignProgress.Group>> groups, Map<String, Figures> figures) {

        BigDecimal reached(TargetDefinition target, String regionCode) {
            return CampaignProgress.actual(target, groups.getOrDefault(regionCode, List.of()));
        }

        BigDecimal figure(Investment investment, String regionCode) {
            return investment.value().apply(figures.getOrDefault(regionCode, Figures.ZERO));
        }

        /** The ranks of the counties with a share of the target, by completion rate; absent for the others. */
        Map<String, Integer> ranks(TargetDefinition target, List<CountyUnit> counties) {
            List<String> ranked = new ArrayList<>();
            List<Ranking.Share> entries = new ArrayList<>();
            for (CountyUnit county : counties) {
                BigDecimal share = shares.share(target.code(), county.regionCode());
                if (share != null && share.signum() > 0) {
                    ranked.add(county.regionCode());
                    entries.add(new Ranking.Share(reached(target, county.regionCode()), share));
                }
            }
            return byCounty(ranked, Ranking.ranks(entries, Ranking.BY_COMPLETION_RATE));
        }

        /** Every county's rank by the investment figure, higher first. */
        Map<String, Integer> ranks(Investment investment, List<CountyUnit> counties) {
            List<String> ranked = counties.stream().map(CountyUnit::regionCode).toList();
            List<BigDecimal> values = ranked.stream().map(county -> figure(investment, county)).toList();
            return byCounty(ranked, Ranking.ranks(values, Comparator.reverseOrder()));
        }

        /** The ranks of a target of this day's definition by its code; none when it had no such target. */
        Map<String, Integer> ranks(String targetCode, List<CountyUnit> counties) {
            return targets.stream().filter(t -> t.code().equals(targetCode)).findFirst()
                    .map(t -> ranks(t, counties)).orElse(Map.of());
        }

        private static Map<String, Integer> byCounty(List<String> counties, List<Integer> ranks) {
            Map<String, Integer> byCounty = new HashMap<>();
            for (int i = 0; i < counties.size(); i++) {
                byCounty.put(counties.get(i), ranks.get(i));
            }
            return byCounty;
        }
    }

    private final Campaigns campaigns;
    private final CampaignFigures figures;
    private final KnownAtReplay replay;
    private final Clock clock;

    public Rankings(Campaigns campaigns, CampaignFigures figures, KnownAtReplay replay, Clock clock) {
        this.campaigns = campaigns;
        this.figures = figures;
        this.replay = replay;
        this.clock = clock;
    }

    /**
     * What a ranking reads from the campaign's definition: its targets, shares and settings as known at knownAt, its
     * counties, and the targets and shares as known now for the previous month's ranks.
     */
    private record Definition(CampaignWithTargets campaign, List<CountyUnit> counties, CountyUnit city,
                              CampaignSettings settings, CountyShares shares, List<TargetDefinition> targetsNow,
                              CountyShares sharesNow) {
    }

    /** The rankings of {@code campaignId}; a 404 problem for an unknown campaign. */
    public Uni<RankingResponses.Rankings> read(String campaignId, TimeAxes axes) {
        return definition(campaignId, axes.knownAt()).flatMap(definition -> {
            CampaignWithTargets campaign = definition.campaign();
            LocalDate day = day(axes, campaign, clock);
            LocalDate previousDay = day.withDayOfMonth(1).minusDays(1);
            LocalDate previous = previousDay.isBefore(campaign.startsOn()) ? null : previousDay;
            Uni<Standing> before = previous == null ? Uni.createFrom().nullItem()
                    : standing(definition.targetsNow(), definition.sharesNow(), campaignId, previous, null);
            return before.flatMap(then -> standing(campaign.targets(), definition.shares(), campaignId, day,
                            axes.knownAt())
                    .map(now -> rankings(definition, axes, day, previous, now, then)));
        });
    }

    /**
     * The campaign's definition, read first and one after the other: through Hibernate Reactive, whose session reads
     * one at a time and only on the event loop, which a knownAt replay leaves.
     */
    private Uni<Definition> definition(String campaignId, Instant knownAt) {
        return (knownAt == null ? campaigns.find(campaignId) : campaigns.asKnownAt(campaignId, knownAt))
                .flatMap(campaign -> {
                    if (campaign == null) {
                        throw CampaignReads.unknownCampaign(campaignId);
                    }
                    return campaigns.countyUnits(campaignId).flatMap(counties -> campaigns.cityLevel(campaignId)
                            .flatMap(city -> (knownAt == null ? campaigns.settings(campaignId)
                                    : campaigns.settingsKnownAt(campaignId, knownAt))
                                    .flatMap(settings -> campaigns.shares(campaignId).flatMap(sharesNow -> {
                                        if (knownAt == null) {
                                            return Uni.createFrom().item(new Definition(campaign, counties, city,
                                                    settings, sharesNow, campaign.targets(), sharesNow));
                                        }
                                        return campaigns.sharesKnownAt(campaignId, knownAt).flatMap(shares ->
                                                campaigns.targets(campaignId).map(targetsNow -> new Definition(
                                                        campaign, counties, city, settings, shares, targetsNow,
                                                        sharesNow)));
                                    }))));
                });
    }

    /**
     * The day ranked: asOf, or today (with a knownAt, that instant's day: the answer the service gave then), at most
     * the campaign's last day, since 时序进度 past it would be meaningless.
     */
    public static LocalDate day(TimeAxes axes, CampaignWithTargets campaign, Clock clock) {
        if (axes.asOf() != null) {
            return axes.asOf();
        }
        LocalDate today = axes.knownAt() != null ? LocalDate.ofInstant(axes.knownAt(), clock.getZone())
                : LocalDate.now(clock);
        return today.isAfter(campaign.endsOn()) ? campaign.endsOn() : today;
    }

    /** The read models of a day, as known at {@code knownAt} (null: now), with the targets and shares they meet. */
    private Uni<Standing> standing(List<TargetDefinition> targets, CountyShares shares, String campaignId,
                                   LocalDate day, Instant knownAt) {
        return (knownAt == null ? figures.countyGroups(campaignId, day)
                : replay.countyGroups(campaignId, day, knownAt))
                .flatMap(groups -> (knownAt == null ? figures.figures(campaignId, FigureKey.REGION, day)
                        : replay.figures(campaignId, FigureKey.REGION, day, knownAt))
                        .map(regions -> new Standing(targets, shares, groups, regions)));
    }

    private static RankingResponses.Rankings rankings(Definition definition, TimeAxes axes, LocalDate day,
                                                      LocalDate previousDay, Standing now, Standing before) {
        CampaignWithTargets campaign = definition.campaign();
        CampaignSettings settings = definition.settings();
        List<CountyUnit> counties = definition.counties();
        CountyUnit city = definition.city();
        Ranking.Schedule schedule = new Ranking.Schedule(campaign.startsOn(), campaign.endsOn());
        List<RankingResponses.TargetRanking> targets = new ArrayList<>();
        for (TargetDefinition target : campaign.targets()) {
            targets.add(target(target, schedule, day, settings.bands(), counties, city, now,
                    before == null ? Map.of() : before.ranks(target.code(), counties)));
        }
        List<RankingResponses.InvestmentRanking> investments = new ArrayList<>();
        for (Investment investment : INVESTMENTS) {
            investments.add(investment(investment, counties, city, now,
                    before == null ? Map.of() : before.ranks(investment, counties)));
        }
        return new RankingResponses.Rankings(campaign.campaignId(), axes.asOf(), axes.knownAt(), day,
                new RankingResponses.Schedule(campaign.startsOn(), campaign.endsOn(), schedule.elapsedDays(day),
                        schedule.totalDays(), schedule.percentage(day)),
                RankingResponses.Thresholds.of(settings.bands()), previousDay, targets, investments);
    }

    private static RankingResponses.TargetRanking target(TargetDefinition target, Ranking.Schedule schedule,
                                                         LocalDate day, Ranking.BandThresholds thresholds,
                                                         List<CountyUnit> counties, CountyUnit city, Standing now,
                                                         Map<String, Integer> previousRanks) {
        Measure measure = target.measure();
        Map<String, Integer> ranks = now.ranks(target, counties);
        List<RankingResponses.CountyStanding> standings = new ArrayList<>();
        BigDecimal sharesTotal = BigDecimal.ZERO;
        for (CountyUnit county : counties) {
            BigDecimal share = now.shares().share(target.code(), county.regionCode());
            BigDecimal reached = now.reached(target, county.regionCode());
            Ranking.Band band = schedule.band(reached, share, day, thresholds);
            Integer rank = ranks.get(county.regionCode());
            Integer previousRank = previousRanks.get(county.regionCode());
            boolean shared = share != null && share.signum() > 0;
            if (shared) {
                sharesTotal = sharesTotal.add(share);
            }
            standings.add(new RankingResponses.CountyStanding(county.regionCode(), county.nameZh(), county.nameEn(),
                    share == null ? null : amount(measure, share), reached,
                    shared ? CampaignProgress.percentage(reached, share) : null,
                    shared ? ratioToSchedule(reached, share, schedule, day) : null,
                    band, band == null ? null : band.label().zh(), rank, previousRank,
                    rank == null || previousRank == null ? null : previousRank - rank));
        }
        BigDecimal cityTarget = amount(measure, target.target());
        sharesTotal = amount(measure, sharesTotal);
        return new RankingResponses.TargetRanking(target.code(), target.nameZh(), target.nameEn(), measure,
                measure == Measure.PROJECTS ? PROJECTS : WAN_YUAN, cityTarget, sharesTotal,
                sharesTotal.subtract(cityTarget), listed(standings, counties, RankingResponses.CountyStanding::rank,
                RankingResponses.CountyStanding::regionCode),
                city == null ? null : new RankingResponses.CityLevelReached(city.regionCode(), city.nameZh(),
                        city.nameEn(), now.reached(target, city.regionCode())));
    }

    private static RankingResponses.InvestmentRanking investment(Investment investment, List<CountyUnit> counties,
                                                                 CountyUnit city, Standing now,
                                                                 Map<String, Integer> previousRanks) {
        Map<String, Integer> ranks = now.ranks(investment, counties);
        List<RankingResponses.CountyInvestment> standings = new ArrayList<>();
        for (CountyUnit county : counties) {
            int rank = ranks.get(county.regionCode());
            Integer previousRank = previousRanks.get(county.regionCode());
            standings.add(new RankingResponses.CountyInvestment(county.regionCode(), county.nameZh(), county.nameEn(),
                    now.figure(investment, county.regionCode()), rank, previousRank,
                    previousRank == null ? null : previousRank - rank));
        }
        return new RankingResponses.InvestmentRanking(investment.code(), investment.nameZh(), investment.nameEn(),
                WAN_YUAN, listed(standings, counties, RankingResponses.CountyInvestment::rank,
                RankingResponses.CountyInvestment::regionCode),
                city == null ? null : new RankingResponses.CityLevelInvestment(city.regionCode(), city.nameZh(),
                        city.nameEn(), now.figure(investment, city.regionCode())));
    }

    /** (reached ÷ share) ÷ (elapsed ÷ total), rounded half up to 2 decimals; null before the calendar starts. */
    private static BigDecimal ratioToSchedule(BigDecimal reached, BigDecimal share, Ranking.Schedule schedule,
                                              LocalDate day) {
        long elapsed = schedule.elapsedDays(day);
        return elapsed == 0 ? null : reached.multiply(BigDecimal.valueOf(schedule.totalDays()))
                .divide(share.multiply(BigDecimal.valueOf(elapsed)), 2, RoundingMode.HALF_UP);
    }

    /** Ranked first, by rank, then the unranked; the regions' order within each. */
    private static <T> List<T> listed(List<T> standings, List<CountyUnit> counties, Function<T, Integer> rank,
                                      Function<T, String> regionCode) {
        Map<String, Integer> sort = new HashMap<>();
        counties.forEach(county -> sort.put(county.regionCode(), county.sort()));
        return standings.stream().sorted(Comparator.comparing(rank, Comparator.nullsLast(Comparator.naturalOrder()))
                .thenComparing(standing -> sort.get(regionCode.apply(standing)))).toList();
    }

    /** A whole number of projects, or 万元 with 2 decimals. */
    private static BigDecimal amount(Measure measure, BigDecimal value) {
        return value.setScale(measure == Measure.PROJECTS ? 0 : 2, RoundingMode.UNNECESSARY);
    }
}
