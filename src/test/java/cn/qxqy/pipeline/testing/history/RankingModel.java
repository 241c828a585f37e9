package cn.qxqy.pipeline.testing.history;

import static cn.qxqy.pipeline.testing.history.ReferenceModel.nz;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Issue 26's rankings (排名通报) written again from the words, apart from the service's {@code Ranking},
 * {@code DatedState} and {@code CampaignProgress}: each county's reach of its share of each target as {@link AsOfModel}
 * dates the projects, 时序进度, the bands, the shared ranks, and the rank on the previous month's last day as known now.
 */
public final class RankingModel {

    public static final List<String> INVESTMENTS = List.of("planned-investment", "signed-investment",
            "investment-this-year");
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    /** The campaign as the rankings read it; {@code counties} in the reference list's order, without the city. */
    public record Campaign(String id, String cityCode, List<String> counties, LocalDate startsOn, LocalDate endsOn,
                           List<AsOfFigures.Target> targets, Map<String, Map<String, BigDecimal>> shares,
                           BigDecimal leading, BigDecimal normal, BigDecimal lagging) {
    }

    public record CountyRank(String regionCode, BigDecimal share, BigDecimal reached, BigDecimal completionRate,
                             BigDecimal ratioToSchedule, String band, Integer rank, Integer previousRank,
                             Integer rankChange) {
    }

    public record TargetRanking(String code, BigDecimal cityTarget, BigDecimal sharesTotal,
                                BigDecimal sharesDifference, List<CountyRank> counties, BigDecimal cityLevelReached) {
    }

    public record InvestmentRank(String regionCode, BigDecimal value, int rank, Integer previousRank,
                                 Integer rankChange) {
    }

    public record InvestmentRanking(String code, List<InvestmentRank> counties, BigDecimal cityLevelValue) {
    }

    public record Rankings(LocalDate day, long elapsedDays, long totalDays, BigDecimal percentage,
                           LocalDate previousDay, List<TargetRanking> targets, List<InvestmentRanking> investments) {
    }

    private RankingModel() {
    }

    /** The day a read without asOf answers for: today, but not after the campaign's last day. */
    public static LocalDate day(LocalDate asOf, LocalDate today, Campaign campaign) {
        if (asOf != null) {
            return asOf;
        }
        return today.isAfter(campaign.endsOn()) ? campaign.endsOn() : today;
    }

    /** The rankings on {@code day} counting the first {@code known} of {@code stored}; previous ranks from all of it. */
    public static Rankings rankings(List<HistoryEvent> stored, int known, Campaign campaign, LocalDate day) {
        LocalDate previousDay = YearMonth.from(day).minusMonths(1).atEndOfMonth();
        if (previousDay.isBefore(campaign.startsOn())) {
            previousDay = null;
        }
        Snapshot now = snapshot(stored, known, campaign, day);
        Snapshot before = previousDay == null ? null : snapshot(stored, stored.size(), campaign, previousDay);
        List<TargetRanking> targets = new ArrayList<>();
        for (AsOfFigures.Target t : campaign.targets()) {
            List<CountyRank> counties = new ArrayList<>();
            Map<String, Integer> ranks = now.targetRanks.get(t.code());
            Map<String, Integer> previous = before == null ? Map.of() : before.targetRanks.get(t.code());
            BigDecimal sharesTotal = BigDecimal.ZERO;
            for (String county : campaign.counties()) {
                BigDecimal share = shareOf(campaign, t.code(), county);
                BigDecimal reached = now.reached.get(t.code()).get(county);
                Integer rank = ranks.get(county);
                Integer previousRank = previous.get(county);
                counties.add(new CountyRank(county, share, reached, completionRate(reached, share),
                        ratio(reached, share, now.elapsed, now.total), band(reached, share, now, campaign), rank,
                        previousRank, rank == null || previousRank == null ? null : previousRank - rank));
                sharesTotal = share == null ? sharesTotal : sharesTotal.add(share);
            }
            targets.add(new TargetRanking(t.code(), t.target(), sharesTotal, sharesTotal.subtract(t.target()),
                    listed(counties, campaign, CountyRank::rank),
                    now.reached.get(t.code()).get(campaign.cityCode())));
        }
        List<InvestmentRanking> investments = new ArrayList<>();
        for (String code : INVESTMENTS) {
            Map<String, Integer> previous = before == null ? Map.of() : before.investmentRanks.get(code);
            List<InvestmentRank> counties = new ArrayList<>();
            for (String county : campaign.counties()) {
                int rank = now.investmentRanks.get(code).get(county);
                Integer previousRank = previous.get(county);
                counties.add(new InvestmentRank(county, now.investments.get(code).get(county), rank, previousRank,
                        previousRank == null ? null : previousRank - rank));
            }
            investments.add(new InvestmentRanking(code, listed(counties, campaign, InvestmentRank::rank),
                    now.investments.get(code).get(campaign.cityCode())));
        }
        return new Rankings(day, now.elapsed, now.total,
                BigDecimal.valueOf(now.elapsed * 100).divide(BigDecimal.valueOf(now.total), 1, RoundingMode.HALF_UP),
                previousDay, targets, investments);
    }

    /** What one day's ranks rest on: each county's reach of each target and its investments, and their ranks. */
    private record Snapshot(long elapsed, long total, Map<String, Map<String, BigDecimal>> reached,
                            Map<String, Map<String, Integer>> targetRanks,
                            Map<String, Map<String, BigDecimal>> investments,
                            Map<String, Map<String, Integer>> investmentRanks) {
    }

    private static Snapshot snapshot(List<HistoryEvent> stored, int known, Campaign campaign, LocalDate day) {
        Map<String, AsOfModel.Dated> projects = AsOfModel.asOf(stored, known, day);
        long total = ChronoUnit.DAYS.between(campaign.startsOn(), campaign.endsOn()) + 1;
        long elapsed = day.isBefore(campaign.startsOn()) ? 0
                : day.isAfter(campaign.endsOn()) ? total : ChronoUnit.DAYS.between(campaign.startsOn(), day) + 1;
        List<String> units = new ArrayList<>(campaign.counties());
        units.add(campaign.cityCode());
        Map<String, Map<String, BigDecimal>> reached = new LinkedHashMap<>();
        Map<String, Map<String, Integer>> targetRanks = new LinkedHashMap<>();
        for (AsOfFigures.Target t : campaign.targets()) {
            Map<String, BigDecimal> byCounty = new LinkedHashMap<>();
            for (String unit : units) {
                byCounty.put(unit, reached(projects, campaign.id(), unit, t));
            }
            reached.put(t.code(), byCounty);
            // Only the counties with a share are ranked: a rate is better when reached × other share is larger.
            List<String> ranked = campaign.counties().stream().filter(c -> shareOf(campaign, t.code(), c) != null)
                    .toList();
            targetRanks.put(t.code(), competitionRanks(ranked, (a, b) -> byCounty.get(a)
                    .multiply(shareOf(campaign, t.code(), b))
                    .compareTo(byCounty.get(b).multiply(shareOf(campaign, t.code(), a)))));
        }
        Map<String, Map<String, BigDecimal>> investments = new LinkedHashMap<>();
        Map<String, Map<String, Integer>> investmentRanks = new LinkedHashMap<>();
        Map<String, AsOfFigures.Row> rows = AsOfFigures.breakdown(projects, campaign.id(), "region");
        for (String code : INVESTMENTS) {
            String field = switch (code) {
                case "planned-investment" -> "plannedInvestment";
                case "signed-investment" -> "signedInvestment";
                default -> "investmentThisYear";
            };
            Map<String, BigDecimal> byCounty = new LinkedHashMap<>();
            for (String unit : units) {
                AsOfFigures.Row row = rows.get(unit);
                byCounty.put(unit, row == null ? BigDecimal.ZERO : (BigDecimal) row.fields().get(field));
            }
            investments.put(code, byCounty);
            investmentRanks.put(code, competitionRanks(campaign.counties(),
                    (a, b) -> byCounty.get(a).compareTo(byCounty.get(b))));
        }
        return new Snapshot(elapsed, total, reached, targetRanks, investments, investmentRanks);
    }

    /** A target's measure over the unit's active projects of the campaign on the day: a count, or annual investment. */
    private static BigDecimal reached(Map<String, AsOfModel.Dated> projects, String campaignId, String unit,
                                      AsOfFigures.Target t) {
        BigDecimal sum = BigDecimal.ZERO;
        for (AsOfModel.Dated d : projects.values()) {
            ModelProject p = d.project();
            if (!campaignId.equals(p.campaignId) || !unit.equals(p.regionCode) || p.withdrawnOn != null) {
                continue;
            }
            boolean inCategory = t.categories() == null || p.categories.stream().anyMatch(t.categories()::contains);
            LocalDate milestone = t.reachedStage() == null ? p.reservedOn : switch (t.reachedStage()) {
                case "SIGNED" -> p.signedOn;
                case "STARTED" -> p.startedOn;
                case "COMPLETED" -> p.completedOn;
                default -> throw new IllegalArgumentException(t.reachedStage());
            };
            if (inCategory && milestone != null) {
                sum = sum.add(t.measure().equals("projects") ? BigDecimal.ONE : nz(p.annual));
            }
        }
        return sum;
    }

    /**
     * Competition ranks of {@code units} by {@code higher} (positive: the first is better): one more than the number
     * strictly better.
     */
    private static Map<String, Integer> competitionRanks(List<String> units, BiFunction<String, String, Integer> higher) {
        Map<String, Integer> ranks = new LinkedHashMap<>();
        for (String unit : units) {
            ranks.put(unit, 1 + (int) units.stream().filter(other -> higher.apply(other, unit) > 0).count());
        }
        return ranks;
    }

    /** The ranked ones by rank then the reference order, then the unranked in the reference order. */
    private static <T> List<T> listed(List<T> inReferenceOrder, Campaign campaign,
                                      Function<T, Integer> rank) {
        List<T> ranked = new ArrayList<>(inReferenceOrder.stream().filter(e -> rank.apply(e) != null).toList());
        ranked.sort(Comparator.comparing(rank::apply));
        List<T> listed = new ArrayList<>(ranked);
        inReferenceOrder.stream().filter(e -> rank.apply(e) == null).forEach(listed::add);
        return listed;
    }

    private static BigDecimal shareOf(Campaign campaign, String target, String county) {
        return campaign.shares().getOrDefault(target, Map.of()).get(county);
    }

    private static BigDecimal completionRate(BigDecimal reached, BigDecimal share) {
        return share == null ? null : reached.multiply(HUNDRED).divide(share, 1, RoundingMode.HALF_UP);
    }

    /** (reached ÷ share) ÷ (elapsed ÷ total) = reached × total ÷ (share × elapsed), rounded once. */
    private static BigDecimal ratio(BigDecimal reached, BigDecimal share, long elapsed, long total) {
        if (share == null || elapsed == 0) {
            return null;
        }
        return reached.multiply(BigDecimal.valueOf(total))
                .divide(share.multiply(BigDecimal.valueOf(elapsed)), 2, RoundingMode.HALF_UP);
    }

    /** The band by the unrounded ratio: at least a threshold when reached × total ≥ threshold × share × elapsed. */
    private static String band(BigDecimal reached, BigDecimal share, Snapshot now, Campaign campaign) {
        if (share == null || now.elapsed == 0) {
            return null;
        }
        BigDecimal left = reached.multiply(BigDecimal.valueOf(now.total));
        BigDecimal scheduled = share.multiply(BigDecimal.valueOf(now.elapsed));
        if (left.compareTo(campaign.leading().multiply(scheduled)) >= 0) {
            return "LEADING";
        }
        if (left.compareTo(campaign.normal().multiply(scheduled)) >= 0) {
            return "NORMAL";
        }
        return left.compareTo(campaign.lagging().multiply(scheduled)) >= 0 ? "LAGGING" : "SEVERELY_LAGGING";
    }
}
