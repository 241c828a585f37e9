package cn.qxqy.pipeline.query;

import cn.qxqy.pipeline.projection.ProjectView;
import cn.qxqy.pipeline.spreadsheet.ProjectColumn;
import cn.qxqy.pipeline.spreadsheet.Tables;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The project list (项目清单) as a table: one row per project in the import template's columns ({@link ProjectColumn}),
 * so that the list downloaded, edited and uploaded again corrects those projects, then the read-only columns; the
 * names of its region, chain and categories from the reference data, amounts in 万元, and a totals row (合计) of the
 * amounts over the rows listed.
 */
final class ProjectListExport {

    static final String SHEET = "项目清单";
    static final List<String> HEADER = Arrays.stream(ProjectColumn.values()).map(c -> c.title).toList();

    /** Names by code: stages, regions, chains, categories. */
    record Names(Map<String, String> stages, Map<String, String> regions, Map<String, String> chains,
                 Map<String, String> categories) {
    }

    private final Tables.Table table;
    private final Names names;
    /** The amounts' columns with their sums so far. */
    private final Map<ProjectColumn, BigDecimal> totals = new EnumMap<>(ProjectColumn.class);
    private long projects;

    ProjectListExport(Tables tables, Names names) {
        this.table = tables.table(SHEET);
        this.names = names;
        table.header(HEADER);
    }

    void add(ProjectView p) {
        List<Object> cells = new ArrayList<>(HEADER.size());
        for (ProjectColumn column : ProjectColumn.values()) {
            Object cell = cell(column, p);
            if (cell instanceof BigDecimal amount) {
                totals.merge(column, amount, BigDecimal::add);
            }
            cells.add(cell);
        }
        table.row(cells);
        projects++;
    }

    /** The totals row, once every project is added. */
    void finish() {
        List<Object> cells = new ArrayList<>(HEADER.size());
        for (ProjectColumn column : ProjectColumn.values()) {
            cells.add(switch (column) {
                case PROJECT_ID -> ProjectColumn.TOTALS;
                case NAME -> "共 " + projects + " 个项目";
                case PLANNED, ANNUAL, SIGNED, TO_DATE -> totals.getOrDefault(column, BigDecimal.ZERO);
                default -> null;
            });
        }
        table.totals(cells);
    }

    /**
     * A project's cell in a column. 日期 and 确认新建 are what an officer fills to import, 版本 what the import checks an
     * edited row against: a row changed since its download is refused.
     */
    private Object cell(ProjectColumn column, ProjectView p) {
        return switch (column) {
            case PROJECT_ID -> p.projectId();
            case NAME -> p.name();
            case REGION -> name(names.regions(), p.regionCode());
            case CHAIN -> name(names.chains(), p.industryChain());
            case CATEGORIES -> String.join("、", p.categories().stream().map(c -> name(names.categories(), c)).toList());
            case PLANNED -> p.plannedInvestment();
            case ANNUAL -> p.annualPlannedInvestment();
            case ZONE -> p.zone();
            case OWNER -> p.owner();
            case PROJECT_CODE -> p.projectCode();
            case PLANNED_START_ON -> p.plannedStartOn();
            case PLANNED_COMPLETION_ON -> p.plannedCompletionOn();
            case DATE, CONFIRM_NEW -> null;
            case STAGE -> name(names.stages(), p.stage().name());
            case VERSION -> p.version();
            case SIGNED -> p.signedInvestment();
            case TO_DATE -> p.investmentToDate();
            case RESERVED_ON -> p.reservedOn();
            case SIGNED_ON -> p.signedOn();
            case STARTED_ON -> p.startedOn();
            case COMPLETED_ON -> p.completedOn();
            case WITHDRAWN_ON -> p.withdrawnOn();
        };
    }

    /** A code's name; the code itself when the reference data has none (a code retired since). */
    private static String name(Map<String, String> names, String code) {
        return code == null ? null : names.getOrDefault(code, code);
    }
}
