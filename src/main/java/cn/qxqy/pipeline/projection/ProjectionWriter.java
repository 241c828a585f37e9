package cn.qxqy.pipeline.projection;

import cn.qxqy.pipeline.domain.ProjectState;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/** Writes changes of projects into one set of read-model tables: the views, and the deltas of the aggregates. */
final class ProjectionWriter {

    /** A project went from {@code before} to {@code after}; {@code lastPosition} is the last event applied. */
    record Change(String projectId, ProjectState before, ProjectState after, long lastPosition) {
    }

    private ProjectionWriter() {
    }

    static Uni<Void> write(SqlConnection conn, ProjectionTables tables, List<Change> changes) {
        List<Tuple> inserts = new ArrayList<>();
        List<Tuple> updates = new ArrayList<>();
        SortedMap<FigureKey, Figures> figures = new TreeMap<>();
        SortedMap<Timeline.Key, Timeline.Entry> timeline = new TreeMap<>();
        for (Change c : changes) {
            Tuple row = ProjectView.of(c.projectId(), c.after()).values(c.lastPosition());
            (c.before().isKnown() ? updates : inserts).add(row);
            Contributions.add(figures, Figures.delta(c.before(), c.after()), Figures::plus);
            Contributions.add(timeline, Timeline.delta(c.before(), c.after()), Timeline.Entry::plus);
        }
        figures.values().removeIf(Figures::isZero);
        timeline.values().removeIf(Timeline.Entry::isZero);
        List<Tuple> figureRows = new ArrayList<>(figures.size());
        figures.forEach((key, delta) -> figureRows.add(FiguresTable.values(key, delta)));
        List<Tuple> timelineRows = new ArrayList<>(timeline.size());
        timeline.forEach((key, delta) -> timelineRows.add(Tuple.of(key.campaignId(), key.month().toString(),
                key.milestone().name(), delta.projects(), delta.investment())));
        // Independent statements, sent together: the connection pipelines them in one round trip.
        return Uni.combine().all().unis(batch(conn, tables.insertView, inserts), batch(conn, tables.updateView, updates),
                batch(conn, tables.upsertFigures, figureRows), batch(conn, tables.upsertTimeline, timelineRows))
                .discardItems();
    }

    private static Uni<Void> batch(SqlConnection conn, String sql, List<Tuple> rows) {
        return rows.isEmpty()
                ? Uni.createFrom().voidItem()
                : conn.preparedQuery(sql).executeBatch(rows).replaceWithVoid();
    }
}
