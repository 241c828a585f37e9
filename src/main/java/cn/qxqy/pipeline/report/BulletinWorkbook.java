package cn.qxqy.pipeline.report;

import static cn.qxqy.pipeline.query.CampaignReport.cells;
import static cn.qxqy.pipeline.query.CampaignReport.value;

import cn.qxqy.pipeline.domain.Ranking;
import cn.qxqy.pipeline.followup.FollowUpResponses;
import cn.qxqy.pipeline.query.RankingResponses;
import cn.qxqy.pipeline.reference.Measure;
import cn.qxqy.pipeline.spreadsheet.Tables;
import cn.qxqy.pipeline.spreadsheet.Tables.Percent;
import cn.qxqy.pipeline.spreadsheet.Tables.Shaded;

import java.util.List;
import java.util.Map;

/**
 * The 通报 as one workbook, from the very answers of the rankings and follow-up reads: 排名 (each target's counties in
 * rank order against their shares, with 时序进度 and the bands; the city level shown, not ranked; the shares against the
 * city's target; then the investment rankings) and 督办 (each county's items with their answers, then its counts).
 * A sheet prints on A4 landscape, one page wide ({@link Tables}), its title and header on every page.
 */
public record BulletinWorkbook(RankingResponses.Rankings rankings, FollowUpResponses.FollowUps followUps) {

    /** What the bulletin's file is named for. */
    public static final String NAME = "排名通报";
    public static final List<String> SHEETS = List.of("排名", "督办");
    /** A county without a share of a target: not ranked on it. */
    static final String NONE = "—";
    static final String CITY_LEVEL = "市本级（不排名）";
    static final String SCHEDULE = "时序进度";
    static final String LEGEND = "进度评价标准";
    static final String COMPARED_WITH = "名次对比日";
    static final Map<FollowUpResponses.Status, String> STATUS = Map.of(
            FollowUpResponses.Status.OPEN, "未反馈", FollowUpResponses.Status.ANSWERED, "已反馈",
            FollowUpResponses.Status.OVERDUE_AGAIN, "再次逾期", FollowUpResponses.Status.CLOSED_LATE, "逾期办结");

    public void write(Tables tables) {
        ranks(tables.table(SHEETS.get(0)));
        followUps(tables.table(SHEETS.get(1)));
    }

    private void ranks(Tables.Table t) {
        t.header(List.of("指标", "名次", "县（市、区）", "分解任务", "完成", "完成率（%）", "与时序进度之比", "进度评价",
                "上月末名次", "名次变化"));
        RankingResponses.Schedule schedule = rankings.schedule();
        t.row(cells(SCHEDULE, null, schedule.elapsedDays() + "/" + schedule.totalDays() + " 天", null, null,
                new Percent(schedule.percentage())));
        // The bands' legend, in the columns of the ratio and the band it gives.
        RankingResponses.Thresholds bands = rankings.thresholds();
        List<String> ranges = List.of("≥" + bands.leading().toPlainString(),
                bands.normal().toPlainString() + "～" + bands.leading().toPlainString(),
                bands.lagging().toPlainString() + "～" + bands.normal().toPlainString(),
                "<" + bands.lagging().toPlainString());
        for (Ranking.Band band : Ranking.Band.values()) {
            t.row(cells(LEGEND, null, null, null, null, null, ranges.get(band.ordinal()),
                    new Shaded(band.label().zh(), band.colour())));
        }
        if (rankings.previousDay() != null) {
            t.row(cells(COMPARED_WITH, null, null, null, null, null, null, null, rankings.previousDay()));
        }
        for (RankingResponses.TargetRanking target : rankings.targets()) {
            t.gap();
            boolean counting = target.measure() == Measure.PROJECTS;
            String name = target.nameZh() + (counting ? "（个）" : "（万元）");
            for (RankingResponses.CountyStanding county : target.counties()) {
                boolean ranked = county.rank() != null;
                t.row(cells(name, ranked ? (Object) county.rank() : NONE, county.nameZh(),
                        county.share() == null ? NONE : value(county.share(), counting), value(county.reached(), counting),
                        county.completionRate() == null ? null : new Percent(county.completionRate()),
                        county.ratioToSchedule(),
                        county.band() == null ? null : new Shaded(county.bandZh(), county.band().colour()),
                        county.previousRank(), change(county.rankChange(), ranked)));
            }
            t.row(cells(name, null, CITY_LEVEL, null, value(target.cityLevel().reached(), counting)));
            t.totals(cells(name, null, "各县分解合计", value(target.sharesTotal(), counting)));
            t.row(cells(name, null, "市级目标", value(target.cityTarget(), counting)));
            t.row(cells(name, null, "分解合计−市级目标", value(target.sharesDifference(), counting)));
        }
        for (RankingResponses.InvestmentRanking investment : rankings.investments()) {
            t.gap();
            String name = investment.nameZh() + "（万元）";
            for (RankingResponses.CountyInvestment county : investment.counties()) {
                t.row(cells(name, county.rank(), county.nameZh(), null, county.value(), null, null, null,
                        county.previousRank(), change(county.rankChange(), true)));
            }
            t.row(cells(name, null, CITY_LEVEL, null, investment.cityLevel().value()));
        }
    }

    private void followUps(Tables.Table t) {
        t.header(List.of("县（市、区）", "督办事项", "项目编号", "项目名称", "应办日期", "逾期天数", "状态", "情况说明",
                "预计完成日期", "反馈单位"));
        for (FollowUpResponses.County county : followUps.counties()) {
            for (FollowUpResponses.Item item : followUps.items()) {
                if (item.regionCode().equals(county.regionCode())) {
                    FollowUpResponses.Answer answer = item.answer();
                    t.row(cells(county.nameZh(), rule(item), item.projectId(), item.projectName(), item.dueOn(),
                            item.daysOverdue(), STATUS.get(item.status()), answer == null ? null : answer.reason(),
                            answer == null ? null : answer.expectedOn(), answer == null ? null : answer.department()));
                }
            }
            t.totals(cells(county.nameZh() + " 合计", "未反馈 " + county.open() + "，已反馈 " + county.answered()
                    + "，再次逾期 " + county.overdueAgain() + "，逾期办结 " + county.closedLate()));
        }
    }

    /** The rule's name, and for a report the month it is missing, for a planned date the milestone. */
    private static String rule(FollowUpResponses.Item item) {
        if (item.qualifier() == null) {
            return item.ruleNameZh();
        }
        return item.ruleNameZh() + "（" + switch (item.qualifier()) {
            case "started" -> "计划开工";
            case "completed" -> "计划竣工";
            default -> item.qualifier();
        } + "）";
    }

    /** Moved up (↑), down (↓) or kept (持平); — when either month was not ranked. */
    static String change(Integer rankChange, boolean ranked) {
        if (rankChange == null || !ranked) {
            return NONE;
        }
        return rankChange > 0 ? "↑" + rankChange : rankChange < 0 ? "↓" + -rankChange : "持平";
    }
}
