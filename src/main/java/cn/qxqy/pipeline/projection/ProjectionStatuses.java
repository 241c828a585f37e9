package cn.qxqy.pipeline.projection;

import cn.qxqy.pipeline.eventstore.EventStore;
import cn.qxqy.pipeline.eventstore.StoreRelations;
import cn.qxqy.pipeline.ops.PipelineMetrics;
import cn.qxqy.pipeline.ops.SharedFigures;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the projector and the rebuild stand (table {@code projection_status}), with the lag behind the event store.
 * The one owner of that table: the projector and the rebuild report here. Every replica's metrics sample the lag, the
 * parked projects and the last consistency check here.
 */
@ApplicationScoped
public class ProjectionStatuses implements SharedFigures {

    /**
     * Where a projection run stands.
     *
     * @param state LIVE for the projector; IDLE, RUNNING, DONE or FAILED for the rebuild
     * @param position the highest event-store position it has applied
     * @param lag events in the store it has not applied yet (for a rebuild: not replayed yet), counted per project
     * @param laggingProjects projects whose view is behind their history (projector only)
     * @param deadLetters projects the projector parked: they wait for an admin's re-drive (projector only)
     */
    public record ProjectionStatus(String name, String state, long position, long headPosition, long lag,
                                   long laggingProjects, long deadLetters,
                                   long projectsDone, long projectsTotal, long eventsDone, @Schema(nullable = true) BigDecimal eventsPerSecond,
                                   @Schema(nullable = true) OffsetDateTime startedAt,
                                   @Schema(nullable = true) OffsetDateTime finishedAt,
                                   @Schema(nullable = true) String lastError,
                                   @Schema(nullable = true) OffsetDateTime lastErrorAt) {
    }

    private final Pool pool;
    private final EventStore store;
    private final PipelineMetrics metrics;

    private volatile boolean rebuilt;

    public ProjectionStatuses(Pool pool, EventStore store, PipelineMetrics metrics) {
        this.pool = pool;
        this.store = store;
        this.metrics = metrics;
    }

    /**
     * Claims the rebuild: false while another runs (one whose heartbeat is older than 2 minutes died with its
     * replica and is taken over).
     */
    Uni<Boolean> claimRebuild() {
        return pool.query("""
                        UPDATE projection_status
                        SET state = 'RUNNING', started_at = now(), heartbeat_at = now(), finished_at = NULL,
                            projects_done = 0, events_done = 0, last_position = 0, events_per_second = NULL,
                            last_error = NULL, last_error_at = NULL,
                            projects_total = (SELECT count(*) FROM %s h)
                        WHERE name = 'rebuild'
                          AND (state <> 'RUNNING' OR heartbeat_at < now() - interval '2 minutes')
                        RETURNING name""".formatted(StoreRelations.HEADS))
                .execute()
                .map(rows -> rows.size() > 0);
    }

    /** Adds a page's projects and events to the rebuild's progress; the share of projects done, 0 to 1. */
    Uni<Double> rebuildProgress(SqlConnection conn, int projects, long events, long lastPosition) {
        return conn.preparedQuery("""
                        UPDATE projection_status
                        SET projects_done = projects_done + $1, events_done = events_done + $2,
                            last_position = GREATEST(last_position, $3), heartbeat_at = now(),
                            events_per_second = round((events_done + $2)
                                / GREATEST(extract(epoch FROM now() - started_at), 0.001), 1)
                        WHERE name = 'rebuild'
                        RETURNING projects_done, projects_total""")
                .execute(Tuple.of(projects, events, lastPosition))
                .map(rows -> {
                    Row row = rows.iterator().next();
                    long total = row.getLong("projects_total");
                    return total == 0 ? 1 : Math.min(1, (double) row.getLong("projects_done") / total);
                });
    }

    /**
     * Whether the read models wait for a rebuild that a migration asked for (V14: the dated aggregates start empty),
     * so that a read answers "not yet" rather than zeros. Only a migration sets it, before the replicas start: once
     * seen cleared, this replica no longer asks.
     */
    public Uni<Boolean> rebuildRequired() {
        if (rebuilt) {
            return Uni.createFrom().item(false);
        }
        return pool.query("SELECT required FROM projection_status WHERE name = 'rebuild'").execute().map(rows -> {
            boolean required = rows.iterator().next().getBoolean("required");
            rebuilt = !required;
            return required;
        });
    }

    /** In the swap's transaction. */
    Uni<Void> rebuildDone(SqlConnection conn) {
        return conn.query("UPDATE projection_status SET state = 'DONE', finished_at = now(), heartbeat_at = now(), "
                + "required = false WHERE name = 'rebuild'").execute().replaceWithVoid();
    }

    Uni<Void> rebuildFailed(String error) {
        return pool.preparedQuery("""
                        UPDATE projection_status SET state = 'FAILED', finished_at = now(), last_error = $1,
                            last_error_at = now() WHERE name = 'rebuild'""")
                .execute(Tuple.of(error))
                .replaceWithVoid();
    }

    /** Best effort: the database may be what failed. */
    Uni<Void> projectorFailed(String error) {
        return pool.preparedQuery("UPDATE projection_status SET last_error = $1, last_error_at = now() "
                        + "WHERE name = 'projector'")
                .execute(Tuple.of(error))
                .replaceWithVoid()
                .onFailure().recoverWithNull();
    }

    /** Every projection run, by name. */
    public Uni<List<ProjectionStatus>> all() {
        return Uni.combine().all().unis(store.lastPosition(),
                        pool.query("SELECT s.*, lag.*, (SELECT count(*) FROM projection_dead_letters) AS dead_letters "
                                + "FROM projection_status s, (" + ProjectorLag.QUERY + ") lag ORDER BY s.name").execute())
                .asTuple()
                .map(found -> {
                    long headPosition = found.getItem1();
                    RowSet<Row> rows = found.getItem2();
                    List<ProjectionStatus> list = new ArrayList<>();
                    for (Row row : rows) {
                        boolean live = "projector".equals(row.getString("name"));
                        long storeEvents = row.getLong("store_events");
                        long done = live ? row.getLong("live_events") : row.getLong("events_done");
                        list.add(new ProjectionStatus(row.getString("name"), row.getString("state"),
                                live ? row.getLong("live_position") : row.getLong("last_position"),
                                headPosition,
                                live ? row.getLong("lag_events")
                                        : "RUNNING".equals(row.getString("state")) ? Math.max(0, storeEvents - done) : 0,
                                live ? row.getLong("lagging_projects") : 0, live ? row.getLong("dead_letters") : 0,
                                row.getLong("projects_done"), row.getLong("projects_total"), done,
                                row.getBigDecimal("events_per_second"), row.getOffsetDateTime("started_at"),
                                row.getOffsetDateTime("finished_at"), row.getString("last_error"),
                                row.getOffsetDateTime("last_error_at")));
                    }
                    return list;
                });
    }

    /** The projector's lag, the projects it parked and the last consistency check, whichever replica ran it. */
    @Override
    public Uni<Void> sample() {
        return pool.query("SELECT lag.*, (SELECT count(*) FROM projection_dead_letters) AS dead_letters, c.* "
                        + "FROM (" + ProjectorLag.QUERY + ") lag, consistency_check_result c")
                .execute()
                .invoke(rows -> {
                    Row row = rows.iterator().next();
                    metrics.projectorLag(row.getLong("lag_events"));
                    metrics.laggingProjects(row.getLong("lagging_projects"));
                    metrics.parkedProjects(row.getLong("dead_letters"));
                    if (row.getOffsetDateTime("finished_at") != null) {
                        metrics.consistencyCheck(row.getLong("differences"), row.getLong("pending_projects"),
                                row.getOffsetDateTime("finished_at").toEpochSecond());
                    }
                })
                .replaceWithVoid();
    }
}
