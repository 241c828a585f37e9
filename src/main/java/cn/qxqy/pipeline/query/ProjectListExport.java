package cn.qxqy.pipeline.query;

import cn.qxqy.pipeline.projection.ProjectView;
import cn.qxqy.pipeline.spreadsheet.Tables;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The project list (项目清单) as a table: one row per project with the names of its region, chain and categories from
 * the reference data, amounts in 万元, and a totals row (合计) of the amounts over the rows listed.
 */
final class ProjectListExport {

    static final String SHEET = "项目清单";
    static final List<String> HEADER = List.of("项目编号", "项目名称", "阶段", "县（市、区）", "产业链", "项目类别",
            "计划总投资（万元）", "年度计划投资（万元）", "签约投资（万元）", "累计完成投资（万元）", "入库日期", "签约日期",
            "开工日期", "竣工日期", "退出日期", "项目业主", "项目代码");
    /** The amounts' columns, in {@link #HEADER}'s order from {@code 计划总投资（万元）} on. */
    private static final List<Function<ProjectView, BigDecimal>> AMOUNTS = List.of(ProjectView::plannedInvestment,
            ProjectView::annualPlannedInvestment, ProjectView::signedInvestment, ProjectView::investmentToDate);

    /** Names by code: stages, regions, chains, categories. */
    record Names(Map<String, String> stages, Map<String, String> regions, Map<String, String> chains,
                 Map<String, String> categories) {
    }

    private final Tables.Table table;
    private final Names names;
    private final BigDecimal[] totals = new BigDecimal[AMOUNTS.size()];
    private long projects;

    ProjectListExport(Tables tables, Names names) {
        this.table = tables.table(SHEET);
        this.names = names;
        Arrays.fill(totals, BigDecimal.ZERO);
        table.header(HEADER);
    }

    void add(ProjectView p) {
        List<Object> cells = new ArrayList<>(List.of(p.projectId(), p.name(), name(names.stages(), p.stage().name()),
                name(names.regions(), p.regionCode()), name(names.chains(), p.industryChain()),
                String.join("、", p.categories().stream().map(c -> name(names.categories(), c)).toList())));
        for (int i = 0; i < AMOUNTS.size(); i++) {
            BigDecimal amount = AMOUNTS.get(i).apply(p);
            cells.add(amount);
            if (amount != null) {
                totals[i] = totals[i].add(amount);
            }
        }
        cells.addAll(Arrays.asList(p.reservedOn(), p.signedOn(), p.startedOn(), p.completedOn(), p.withdrawnOn(),
                p.owner(), p.projectCode()));
        table.row(cells);
        projects++;
    }

    /** The totals row, once every project is added. */
    void finish() {
        List<Object> cells = new ArrayList<>(List.of("合计", "共 " + projects + " 个项目", "", "", "", ""));
        cells.addAll(Arrays.asList(totals));
        table.totals(cells);
    }

    /** A code's name; the code itself when the reference data has none (a code retired since). */
    private static String name(Map<String, String> names, String code) {
        return code == null ? null : names.getOrDefault(code, code);
    }
}
