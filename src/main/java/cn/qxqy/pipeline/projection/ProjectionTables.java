package cn.qxqy.pipeline.projection;

import cn.qxqy.pipeline.domain.ProjectFields;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * The tables one set of read models lives in: the live ones readers see, or the next ones a rebuild fills
 * before it swaps them in.
 */
final class ProjectionTables {

    /** Advisory lock: projectors hold it shared while they write, a rebuild exclusively while it swaps tables. */
    static final long SWAP_LOCK = 20_240_219L;

    /** Suffix of a rebuild's indexes on the next view table until the swap gives them the live names. */
    static final String REBUILT = "_rebuilt";

    private static final String VIEW_COLUMNS = "project_id, version, last_position, stage, "
            + String.join(", ", ProjectView.FIELD_COLUMNS) + ", " + ProjectView.DATED_COLUMNS + ", "
            + ProjectView.REPORTING_COLUMNS;

    private static final String FIGURES_COLUMNS = "campaign_id, dimension, key, effective_on, "
            + String.join(", ", FiguresTable.COLUMNS);
    private static final String TIMELINE_COLUMNS = "campaign_id, month, milestone, effective_on, projects, investment";
    private static final String PROGRESS_COLUMNS = "campaign_id, region_code, categories, signed, started, completed, "
            + "effective_on, projects, annual_planned_investment, investment_to_date, investment_this_year";

    /** The SQL type of each of {@link #FIGURES_COLUMNS}: counts bigint, amounts numeric. */
    static final List<String> FIGURES_TYPES = Stream.concat(Stream.of("text", "text", "text", "date"),
            FiguresTable.COLUMNS.stream().map(column -> column.equals("projects") || column.equals("withdrawn")
                    || column.endsWith("_current") || column.endsWith("_reached") ? "bigint" : "numeric")).toList();
    static final List<String> TIMELINE_TYPES = List.of("text", "text", "text", "date", "bigint", "numeric");
    static final List<String> PROGRESS_TYPES = List.of("text", "text", "text[]", "boolean", "boolean", "boolean", "date",
            "bigint", "numeric", "numeric", "numeric");

    /** The SQL type of each of {@link #VIEW_COLUMNS}, for the arrays {@link #insertViews} unnests. */
    static final List<String> VIEW_TYPES = Stream.of(Stream.of("text", "bigint", "bigint", "text"),
            ProjectFields.ALL.stream().map(field -> switch (field.kind()) {
                case TEXT, MONTH -> "text";
                case AMOUNT -> "numeric";
                case DATE -> "date";
                case TEXT_LIST -> "text[]";
            }), Stream.of("jsonb", "jsonb", "jsonb", "integer", "date")).flatMap(types -> types).toList();

    static final ProjectionTables LIVE =
            new ProjectionTables("project_view", "campaign_figures", "campaign_timeline", "campaign_progress");
    static final ProjectionTables NEXT = new ProjectionTables("project_view_next", "campaign_figures_next",
            "campaign_timeline_next", "campaign_progress_next");

    final String view;
    final String figures;
    final String timeline;
    final String progress;
    final String selectViewsForUpdate;
    final String insertViews;
    final String updateView;
    final String upsertFigures;
    final String upsertTimeline;
    final String upsertProgress;
    final String insertFigures;
    final String insertTimeline;
    final String insertProgress;

    private ProjectionTables(String view, String figures, String timeline, String progress) {
        this.view = view;
        this.figures = figures;
        this.timeline = timeline;
        this.progress = progress;
        String[] columns = VIEW_COLUMNS.split(", ");
        this.selectViewsForUpdate = "SELECT " + ProjectView.COLUMNS + ", " + ProjectView.DATED_COLUMNS + " FROM " + view
                + " WHERE project_id = ANY($1) ORDER BY project_id FOR UPDATE";
        this.insertViews = unnestInsert(view, VIEW_COLUMNS, VIEW_TYPES);
        this.updateView = "UPDATE " + view + " SET " + IntStream.range(1, columns.length)
                .mapToObj(i -> columns[i] + " = $" + (i + 1) + (VIEW_TYPES.get(i).equals("jsonb") ? "::text::jsonb" : ""))
                .collect(Collectors.joining(", "))
                + ", updated_at = now() WHERE project_id = $1";
        this.insertFigures = unnestInsert(figures, FIGURES_COLUMNS, FIGURES_TYPES);
        this.insertTimeline = unnestInsert(timeline, TIMELINE_COLUMNS, TIMELINE_TYPES);
        this.insertProgress = unnestInsert(progress, PROGRESS_COLUMNS, PROGRESS_TYPES);
        this.upsertFigures = "INSERT INTO " + figures + " (campaign_id, dimension, key, effective_on, "
                + String.join(", ", FiguresTable.COLUMNS) + ") VALUES (" + placeholders(FiguresTable.COLUMNS.size() + 4)
                + ") ON CONFLICT (campaign_id, dimension, key, effective_on) DO UPDATE SET " + FiguresTable.COLUMNS.stream()
                .map(c -> c + " = " + figures + "." + c + " + EXCLUDED." + c).collect(Collectors.joining(", "));
        this.upsertTimeline = "INSERT INTO " + timeline + " (campaign_id, month, milestone, effective_on, projects, "
                + "investment) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (campaign_id, month, milestone, effective_on) "
                + "DO UPDATE SET "
                + "projects = " + timeline + ".projects + EXCLUDED.projects, "
                + "investment = " + timeline + ".investment + EXCLUDED.investment";
        this.upsertProgress = "INSERT INTO " + progress + " (campaign_id, region_code, categories, signed, started, "
                + "completed, effective_on, projects, annual_planned_investment, investment_to_date, investment_this_year) "
                + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) "
                + "ON CONFLICT (campaign_id, region_code, categories, signed, started, completed, effective_on) DO UPDATE SET "
                + "projects = " + progress + ".projects + EXCLUDED.projects, "
                + "annual_planned_investment = " + progress + ".annual_planned_investment + EXCLUDED.annual_planned_investment, "
                + "investment_to_date = " + progress + ".investment_to_date + EXCLUDED.investment_to_date, "
                + "investment_this_year = " + progress + ".investment_this_year + EXCLUDED.investment_this_year";
    }

    /**
     * One statement for many new rows: a column per array. Amounts travel as text (exact); text arrays as array
     * literals, since unnest cannot return arrays of different lengths; JSON as its text.
     */
    private static String unnestInsert(String table, String columnList, List<String> types) {
        String[] columns = columnList.split(", ");
        return "INSERT INTO " + table + " (" + columnList + ") SELECT " + IntStream.range(0, columns.length)
                .mapToObj(i -> switch (types.get(i)) {
                    case "text[]", "jsonb" -> columns[i] + "::" + types.get(i);
                    default -> columns[i];
                })
                .collect(Collectors.joining(", "))
                + " FROM unnest(" + IntStream.range(0, columns.length)
                .mapToObj(i -> "$" + (i + 1) + switch (types.get(i)) {
                    case "text[]", "jsonb" -> "::text[]";
                    case "numeric" -> "::text[]::numeric[]";
                    default -> "::" + types.get(i) + "[]";
                }).collect(Collectors.joining(", ")) + ") AS v (" + columnList + ")";
    }

    private static String placeholders(int n) {
        return IntStream.rangeClosed(1, n).mapToObj(i -> "$" + i).collect(Collectors.joining(", "));
    }
}
