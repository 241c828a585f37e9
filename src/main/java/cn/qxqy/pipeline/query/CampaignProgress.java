package cn.qxqy.pipeline.query;

import cn.qxqy.pipeline.campaign.TargetDefinition;
import cn.qxqy.pipeline.domain.Stage;
import cn.qxqy.pipeline.reference.Measure;
import io.vertx.mutiny.sqlclient.Row;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A campaign's progress towards its targets, and its rates, each naming its numerator and denominator.
 * Everything is summed in Java from the campaign's rows of {@code campaign_progress}, read in one query, so a
 * response is one snapshot; the projector writes those rows and the summary's figures in one transaction, so the
 * two agree.
 */
final class CampaignProgress {

    /**
     * Active projects grouped by what a target or rate may ask of them: their categories and the milestones they
     * hold (see {@link cn.qxqy.pipeline.projection.ProgressGroups}). A few hundred groups at most, whatever the number
     * of projects.
     */
    static final String GROUPS = """
            SELECT categories, signed, started, completed, sum(projects) AS projects,
                   sum(annual_planned_investment) AS annual_planned_investment,
                   sum(investment_to_date) AS investment_to_date, sum(investment_this_year) AS investment_this_year
            FROM campaign_progress WHERE campaign_id = $1 AND effective_on <= $2
            GROUP BY categories, signed, started, completed HAVING sum(projects) <> 0""";

    /** The same groups per county ({@code region_code}): each county's progress against its shares (排名通报). */
    static final String COUNTY_GROUPS = """
            SELECT region_code, categories, signed, started, completed, sum(projects) AS projects,
                   sum(annual_planned_investment) AS annual_planned_investment,
                   sum(investment_to_date) AS investment_to_date, sum(investment_this_year) AS investment_this_year
            FROM campaign_progress WHERE campaign_id = $1 AND effective_on <= $2
            GROUP BY region_code, categories, signed, started, completed HAVING sum(projects) <> 0""";

    record Group(Set<String> categories, boolean signed, boolean started, boolean completed, long projects,
                 BigDecimal annualPlannedInvestment, BigDecimal investmentToDate, BigDecimal investmentThisYear) {

        static Group fromRow(Row row) {
            return new Group(Set.copyOf(Arrays.asList(row.getArrayOfStrings("categories"))), row.getBoolean("signed"),
                    row.getBoolean("started"), row.getBoolean("completed"), row.getLong("projects"),
                    money(row.getBigDecimal("annual_planned_investment")), money(row.getBigDecimal("investment_to_date")),
                    money(row.getBigDecimal("investment_this_year")));
        }

        /** Whether these projects hold the milestone; no milestone asked (null) counts every project. */
        boolean reached(Stage milestone) {
            if (milestone == null) {
                return true;
            }
            return switch (milestone) {
                case SIGNED -> signed;
                case STARTED -> started;
                case COMPLETED -> completed;
                case RESERVED, WITHDRAWN -> throw new IllegalStateException("not a milestone of a target: " + milestone);
            };
        }
    }

    /** One side of a rate: which projects it counts, and what of them (their number or an amount). */
    private record Quantity(String code, String nameZh, String nameEn, Predicate<Group> counts,
                            Function<Group, BigDecimal> value) {

        static Quantity projects(String code, String nameZh, String nameEn, Predicate<Group> counts) {
            return new Quantity(code, nameZh, nameEn, counts, g -> BigDecimal.valueOf(g.projects()));
        }

        BigDecimal sum(List<Group> groups) {
            return groups.stream().filter(counts).map(value).reduce(BigDecimal.ZERO, BigDecimal::add);
        }
    }

    private record Rate(String code, String nameZh, String nameEn, String unit, Quantity numerator, Quantity denominator) {
    }

    private static final String PROJECTS = "projects";
    private static final String WAN_YUAN = "万元";

    private static final Quantity ACTIVE = Quantity.projects("active", "在库项目数", "Active projects", g -> true);
    private static final Quantity SIGNED = Quantity.projects("signed", "已签约项目数", "Projects signed", Group::signed);
    private static final Quantity STARTED = Quantity.projects("started", "已开工项目数", "Projects started", Group::started);

    /**
     * The rates in use. The start rate over signed projects counts in its numerator only signed projects that started
     * (not government projects started without a signing), so that it is a share of its denominator, at most 100%.
     */
    private static final List<Rate> RATES = List.of(
            new Rate("start-rate-of-signed", "签约项目开工率", "Start rate of signed projects", PROJECTS,
                    Quantity.projects("signed-and-started", "已签约且已开工项目数", "Signed projects that started",
                            g -> g.signed() && g.started()),
                    SIGNED),
            new Rate("start-rate-of-planned", "开工率(计划开工口径)", "Start rate of projects planned to start", PROJECTS,
                    STARTED,
                    Quantity.projects("planned-to-start", "计划开工项目数(全部在库项目)",
                            "Projects planned to start (every active project)", g -> true)),
            new Rate("signing-rate", "签约率", "Signing rate", PROJECTS, SIGNED, ACTIVE),
            new Rate("investment-completion-rate", "投资完成率", "Investment completion rate", WAN_YUAN,
                    new Quantity("investment-this-year", "本年完成投资(万元)", "Investment this year (10k CNY)",
                            g -> true, Group::investmentThisYear),
                    new Quantity("annual-planned-investment", "年度计划投资(万元)", "Annual planned investment (10k CNY)",
                            g -> true, Group::annualPlannedInvestment)));

    private CampaignProgress() {
    }

    /** The progress document: every target with its actual figure, then every rate. */
    static CampaignResponses.Progress of(String campaignId, TimeAxes axes, List<TargetDefinition> targets,
                                         List<Group> groups) {
        List<CampaignResponses.TargetProgress> targetList = new ArrayList<>();
        for (TargetDefinition t : targets) {
            targetList.add(target(t, groups));
        }
        List<CampaignResponses.RateProgress> rateList = new ArrayList<>();
        for (Rate rate : RATES) {
            BigDecimal numerator = rate.numerator().sum(groups);
            BigDecimal denominator = rate.denominator().sum(groups);
            boolean money = WAN_YUAN.equals(rate.unit());
            rateList.add(new CampaignResponses.RateProgress(rate.code(), rate.nameZh(), rate.nameEn(), rate.unit(),
                    side(rate.numerator(), money ? money(numerator) : numerator),
                    side(rate.denominator(), money ? money(denominator) : denominator),
                    percentage(numerator, denominator),
                    rate.nameZh() + " = " + rate.numerator().nameZh() + " / " + rate.denominator().nameZh() + " × 100%",
                    rate.nameEn() + " = " + rate.numerator().nameEn() + " / " + rate.denominator().nameEn() + " × 100%"));
        }
        return new CampaignResponses.Progress(campaignId, axes.asOf(), axes.knownAt(), ACTIVE.sum(groups).longValueExact(),
                targetList, rateList);
    }

    private static CampaignResponses.TargetProgress target(TargetDefinition t, List<Group> groups) {
        boolean counting = t.measure() == Measure.PROJECTS;
        BigDecimal actual = actual(t, groups);
        String goal = t.target().toPlainString();
        return new CampaignResponses.TargetProgress(t.code(), t.nameZh(), t.nameEn(), t.measure(), t.categories(),
                t.reachedStage(), counting ? PROJECTS : WAN_YUAN, actual, t.target(), percentage(actual, t.target()),
                "target", t.nameZh() + " / 目标 " + goal, t.nameEn() + " / target " + goal);
    }

    /**
     * What the groups' projects add up to towards a target: those in any of its categories that reached its stage,
     * counted (a whole number) or their annual planned investment summed (万元, 2 decimals).
     */
    static BigDecimal actual(TargetDefinition t, List<Group> groups) {
        List<Group> counted = new ArrayList<>();
        for (Group g : groups) {
            // A project counts if it is in ANY of the target's categories.
            if ((t.categories().isEmpty() || t.categories().stream().anyMatch(g.categories()::contains))
                    && g.reached(t.reachedStage())) {
                counted.add(g);
            }
        }
        return t.measure() == Measure.PROJECTS
                ? BigDecimal.valueOf(counted.stream().mapToLong(Group::projects).sum())
                : money(counted.stream().map(Group::annualPlannedInvestment).reduce(BigDecimal.ZERO, BigDecimal::add));
    }

    private static CampaignResponses.RateSide side(Quantity quantity, BigDecimal value) {
        return new CampaignResponses.RateSide(quantity.code(), quantity.nameZh(), quantity.nameEn(), value);
    }

    /** numerator / denominator × 100, rounded half up to 1 decimal; null when there is no denominator. */
    static BigDecimal percentage(BigDecimal numerator, BigDecimal denominator) {
        return denominator.signum() == 0 ? null
                : numerator.multiply(BigDecimal.valueOf(100)).divide(denominator, 1, RoundingMode.HALF_UP);
    }

    /** Sums keep 2 fraction digits however PostgreSQL scaled them. */
    private static BigDecimal money(BigDecimal amount) {
        return amount.setScale(2, RoundingMode.UNNECESSARY);
    }
}
