package cn.qxqy.pipeline.projection;

/**
 * How far the live read models are behind the event store, project by project: the events of each project whose view
 * has another version than its stream head, and how many such projects. Compared per project, a missing event of one
 * cannot be hidden by an extra one of another (a difference of sums can read 0 while projects are missing).
 */
public final class ProjectorLag {

    /** One row: {@code lag_events}, {@code lagging_projects}. */
    public static final String QUERY = """
            SELECT coalesce(sum(abs(coalesce(h.version, 0) - coalesce(v.version, 0))), 0) AS lag_events,
                   count(*) AS lagging_projects
            FROM stream_heads h FULL JOIN project_view v ON v.project_id = h.project_id
            WHERE h.version IS DISTINCT FROM v.version""";

    private ProjectorLag() {
    }
}
