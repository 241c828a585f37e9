package cn.qxqy.pipeline.projection;

import cn.qxqy.pipeline.eventstore.StoreRelations;

/**
 * How far the live read models are behind the event store, project by project: the events of each project whose view
 * has another version than its stream head, and how many such projects. Compared per project, a missing event of one
 * cannot be hidden by an extra one of another (a difference of sums can read 0 while projects are missing).
 */
final class ProjectorLag {

    /**
     * One row, from one pass over the heads and the views: {@code lag_events}, {@code lagging_projects}, and the events
     * in the store and in the views ({@code store_events}, {@code live_events}, sums of versions) with the views'
     * highest {@code live_position}.
     */
    static final String QUERY = """
            SELECT coalesce(sum(abs(coalesce(h.version, 0) - coalesce(v.version, 0)))
                       FILTER (WHERE h.version IS DISTINCT FROM v.version), 0) AS lag_events,
                   count(*) FILTER (WHERE h.version IS DISTINCT FROM v.version) AS lagging_projects,
                   coalesce(sum(h.version), 0) AS store_events, coalesce(sum(v.version), 0) AS live_events,
                   coalesce(max(v.last_position), 0) AS live_position
            FROM %s h FULL JOIN project_view v ON v.project_id = h.project_id""".formatted(StoreRelations.HEADS);

    private ProjectorLag() {
    }
}
