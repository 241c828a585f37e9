package cn.qxqy.pipeline.query;

import cn.qxqy.pipeline.campaign.CampaignWithTargets;
import cn.qxqy.pipeline.projection.Figures.StageFigures;
import cn.qxqy.pipeline.reference.Measure;
import cn.qxqy.pipeline.spreadsheet.Tables;
import cn.qxqy.pipeline.spreadsheet.Tables.Percent;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A campaign's report (会战报表) from the very answers of the campaign reads: 汇总 (summary), 目标进度 (targets and rates,
 * each with its denominator), 分县, 分产业链, 分类别 (breakdowns by county, chain and category) and 月度进展 (timeline).
 * Totals rows where the rows add up: by county, by chain and per month; not by category, where a project in two
 * categories counts in both.
 */
public record CampaignReport(CampaignWithTargets campaign, CampaignResponses.Summary summary, CampaignResponses.Progress progress,
                      CampaignResponses.Breakdown regions, CampaignResponses.Breakdown chains,
                      CampaignResponses.Breakdown categories, CampaignResponses.Timeline timeline) {

    /** What the report's file is named for. */
    static final String NAME = "会战报表";
    static final List<String> SHEETS = List.of("汇总", "目标进度", "分县", "分产业链", "分类别", "月度进展");
    private static final List<String> STAGES = List.of("RESERVED", "SIGNED", "STARTED", "COMPLETED");
    private static final List<String> MILESTONES = List.of("储备", "签约", "开工", "竣工", "退出");
    private static final String PROJECTS = "projects";

    public void write(Tables tables, Map<String, String> stageNames) {
        summary(tables.table(SHEETS.get(0)), stageNames);
        targets(tables.table(SHEETS.get(1)));
        breakdown(tables.table(SHEETS.get(2)), "县（市、区）", regions, true);
        breakdown(tables.table(SHEETS.get(3)), "产业链", chains, true);
        breakdown(tables.table(SHEETS.get(4)), "项目类别", categories, false);
        timeline(tables.table(SHEETS.get(5)));
    }

    private void summary(Tables.Table t, Map<String, String> stageNames) {
        CampaignResponses.Summary s = summary;
        t.header(List.of("指标", "数值"));
        t.row(List.of("会战", campaign.nameZh()));
        t.row(List.of("会战代码", s.campaignId()));
        t.row(List.of("在库项目数", s.projects()));
        t.row(List.of("退出项目数", s.withdrawn()));
        t.row(List.of("计划总投资（万元）", s.plannedInvestment()));
        t.row(List.of("年度计划投资（万元）", s.annualPlannedInvestment()));
        t.row(List.of("签约投资（万元）", s.signedInvestment()));
        t.row(List.of("累计完成投资（万元）", s.investmentToDate()));
        t.row(List.of("本年完成投资（万元）", s.investmentThisYear()));
        t.gap();
        t.header(List.of("阶段", "当前项目数", "累计到达项目数", "计划总投资（万元）"));
        for (String stage : STAGES) {
            StageFigures f = stage(s.stages(), stage);
            t.row(List.of(stageNames.getOrDefault(stage, stage), f.current(), f.reached(), f.plannedInvestment()));
        }
    }

    private void targets(Tables.Table t) {
        t.header(List.of("目标代码", "目标", "单位", "实际", "目标值", "完成率（%）", "分母"));
        for (CampaignResponses.TargetProgress target : progress.targets()) {
            boolean counting = target.measure() == Measure.PROJECTS;
            t.row(cells(target.code(), target.nameZh(), counting ? "个" : "万元", value(target.actual(), counting),
                    value(target.target(), counting), percent(target.percentage()), target.ratioOf()));
        }
        t.gap();
        t.header(List.of("比率代码", "比率", "分子", "分子值", "分母", "分母值", "比率（%）"));
        for (CampaignResponses.RateProgress rate : progress.rates()) {
            boolean counting = PROJECTS.equals(rate.unit());
            t.row(cells(rate.code(), rate.nameZh(), rate.numerator().nameZh(), value(rate.numerator().value(), counting),
                    rate.denominator().nameZh(), value(rate.denominator().value(), counting), percent(rate.percentage())));
        }
    }

    private static void breakdown(Tables.Table t, String dimension, CampaignResponses.Breakdown breakdown, boolean totals) {
        List<String> header = new ArrayList<>(List.of("代码", dimension, "在库项目数", "退出项目数", "计划总投资（万元）",
                "年度计划投资（万元）", "签约投资（万元）", "累计完成投资（万元）", "本年完成投资（万元）"));
        STAGES.forEach(stage -> header.add(MILESTONES.get(STAGES.indexOf(stage)) + "（当前项目数）"));
        t.header(header);
        List<Function<CampaignResponses.BreakdownItem, Object>> columns = List.of(
                CampaignResponses.BreakdownItem::projects, CampaignResponses.BreakdownItem::withdrawn,
                CampaignResponses.BreakdownItem::plannedInvestment, CampaignResponses.BreakdownItem::annualPlannedInvestment,
                CampaignResponses.BreakdownItem::signedInvestment, CampaignResponses.BreakdownItem::investmentToDate,
                CampaignResponses.BreakdownItem::investmentThisYear,
                i -> stage(i.stages(), "RESERVED").current(), i -> stage(i.stages(), "SIGNED").current(),
                i -> stage(i.stages(), "STARTED").current(), i -> stage(i.stages(), "COMPLETED").current());
        Object[] sums = new Object[columns.size()];
        for (CampaignResponses.BreakdownItem item : breakdown.items()) {
            List<Object> cells = new ArrayList<>(List.of(item.key(), item.name()));
            for (int c = 0; c < columns.size(); c++) {
                Object value = columns.get(c).apply(item);
                cells.add(value);
                sums[c] = add(sums[c], value);
            }
            t.row(cells);
        }
        if (totals) {
            List<Object> cells = new ArrayList<>(List.of("合计", ""));
            cells.addAll(Arrays.asList(sums));
            t.totals(cells);
        }
    }

    private void timeline(Tables.Table t) {
        List<String> header = new ArrayList<>(List.of("月份"));
        MILESTONES.forEach(m -> {
            header.add(m + "项目数");
            header.add(m + "投资（万元）");
        });
        t.header(header);
        Object[] sums = new Object[MILESTONES.size() * 2];
        for (CampaignResponses.Period period : timeline.periods()) {
            List<Object> cells = new ArrayList<>(List.of(period.period()));
            List<CampaignResponses.Milestones> reached = List.of(period.RESERVED(), period.SIGNED(), period.STARTED(),
                    period.COMPLETED(), period.WITHDRAWN());
            for (int m = 0; m < reached.size(); m++) {
                cells.add(reached.get(m).projects());
                cells.add(reached.get(m).investment());
                sums[2 * m] = add(sums[2 * m], reached.get(m).projects());
                sums[2 * m + 1] = add(sums[2 * m + 1], reached.get(m).investment());
            }
            t.row(cells);
        }
        List<Object> cells = new ArrayList<>(List.of("合计"));
        cells.addAll(Arrays.asList(sums));
        t.totals(cells);
    }

    private static StageFigures stage(CampaignResponses.Stages stages, String stage) {
        return switch (stage) {
            case "RESERVED" -> stages.RESERVED();
            case "SIGNED" -> stages.SIGNED();
            case "STARTED" -> stages.STARTED();
            default -> stages.COMPLETED();
        };
    }

    /** A count as a whole number, an amount as 万元. */
    public static Object value(BigDecimal value, boolean counting) {
        return value == null ? null : counting ? (Object) value.longValue() : value;
    }

    private static Percent percent(BigDecimal percentage) {
        return percentage == null ? null : new Percent(percentage);
    }

    /** A row whose cells may be null (empty), which List.of does not take. */
    public static List<Object> cells(Object... cells) {
        return Arrays.asList(cells);
    }

    /** The sum so far of a column of counts or amounts; an empty column sums to 0. */
    private static Object add(Object sum, Object value) {
        if (value instanceof BigDecimal amount) {
            return (sum == null ? BigDecimal.ZERO.setScale(2) : (BigDecimal) sum).add(amount);
        }
        return (sum == null ? 0L : (Long) sum) + (Long) value;
    }
}
