package cn.qxqy.pipeline.projection;

import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The tables one set of read models lives in: the live ones readers see, or the next ones a rebuild fills
 * before it swaps them in.
 */
final class ProjectionTables {

    /** Advisory lock: projectors hold it shared while they write, a rebuild exclusively while it swaps tables. */
    static final long SWAP_LOCK = 20_240_219L;

    static final ProjectionTables LIVE = new ProjectionTables("project_view", "campaign_figures", "campaign_timeline");
    static final ProjectionTables NEXT =
            new ProjectionTables("project_view_next", "campaign_figures_next", "campaign_timeline_next");

    private static final String VIEW_COLUMNS = "project_id, version, last_position, stage, name, campaign_id, "
            + "region_code, industry_chain, categories, planned_investment, annual_planned_investment, zone, owner, "
            + "project_code, signed_investment, investor, reserved_on, signed_on, started_on, completed_on, "
            + "withdrawn_on, reported_period, investment_to_date";

    final String view;
    final String figures;
    final String timeline;
    final String selectViewsForUpdate;
    final String insertView;
    final String updateView;
    final String upsertFigures;
    final String upsertTimeline;

    private ProjectionTables(String view, String figures, String timeline) {
        this.view = view;
        this.figures = figures;
        this.timeline = timeline;
        String[] columns = VIEW_COLUMNS.split(", ");
        this.selectViewsForUpdate = "SELECT " + ProjectView.COLUMNS + " FROM " + view
                + " WHERE project_id = ANY($1) ORDER BY project_id FOR UPDATE";
        this.insertView = "INSERT INTO " + view + " (" + VIEW_COLUMNS + ") VALUES (" + placeholders(columns.length) + ")";
        this.updateView = "UPDATE " + view + " SET " + IntStream.range(1, columns.length)
                .mapToObj(i -> columns[i] + " = $" + (i + 1)).collect(Collectors.joining(", "))
                + ", updated_at = now() WHERE project_id = $1";
        this.upsertFigures = "INSERT INTO " + figures + " (campaign_id, dimension, key, "
                + String.join(", ", FiguresTable.COLUMNS) + ") VALUES (" + placeholders(FiguresTable.COLUMNS.size() + 3)
                + ") ON CONFLICT (campaign_id, dimension, key) DO UPDATE SET " + FiguresTable.COLUMNS.stream()
                .map(c -> c + " = " + figures + "." + c + " + EXCLUDED." + c).collect(Collectors.joining(", "));
        this.upsertTimeline = "INSERT INTO " + timeline + " (campaign_id, month, milestone, projects, investment) "
                + "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (campaign_id, month, milestone) DO UPDATE SET "
                + "projects = " + timeline + ".projects + EXCLUDED.projects, "
                + "investment = " + timeline + ".investment + EXCLUDED.investment";
    }

    private static String placeholders(int n) {
        return IntStream.rangeClosed(1, n).mapToObj(i -> "$" + i).collect(Collectors.joining(", "));
    }
}
