package cn.qxqy.pipeline.projection;

import cn.qxqy.pipeline.domain.ProjectState;
import cn.qxqy.pipeline.eventstore.EventStore;
import cn.qxqy.pipeline.eventstore.RecordedEvent;
import cn.qxqy.pipeline.ops.PipelineMetrics;
import cn.qxqy.pipeline.problem.Problem;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Rebuilds the read models from the event store while the live projector and readers go on: the history is
 * replayed into fresh tables, which replace the live ones in one transaction once they have caught up, so a
 * reader sees the old figures or the new, never a half-built one.
 */
@ApplicationScoped
public class Rebuild {

    private static final Logger LOG = Logger.getLogger(Rebuild.class);

    private final Pool pool;
    private final EventStore store;
    private final PipelineMetrics metrics;
    private final int pageSize;

    public Rebuild(Pool pool, EventStore store, PipelineMetrics metrics,
                   @ConfigProperty(name = "pipeline.rebuild.page-size", defaultValue = "500") int pageSize) {
        this.pool = pool;
        this.store = store;
        this.metrics = metrics;
        this.pageSize = pageSize;
    }

    /** Claims the rebuild and runs it in the background; fails with 409 while another one runs. */
    public Uni<Void> start() {
        return pool.query("""
                        UPDATE projection_status
                        SET state = 'RUNNING', started_at = now(), heartbeat_at = now(), finished_at = NULL,
                            projects_done = 0, events_done = 0, last_position = 0, events_per_second = NULL,
                            last_error = NULL, last_error_at = NULL,
                            projects_total = (SELECT count(*) FROM stream_heads)
                        WHERE name = 'rebuild'
                          AND (state <> 'RUNNING' OR heartbeat_at < now() - interval '2 minutes')
                        RETURNING name""")
                .execute()
                .invoke(rows -> {
                    if (rows.size() == 0) {
                        throw Problem.of(409, "Rebuild running", "a rebuild is already running").exception();
                    }
                    run().subscribe().with(
                            done -> LOG.info("projection rebuild done"),
                            failure -> LOG.error("projection rebuild failed", failure));
                })
                .replaceWithVoid();
    }

    private Uni<Void> run() {
        return prepare()
                .flatMap(ignored -> replayFrom(""))
                .flatMap(ignored -> pool.withTransaction(this::catchUp))
                .flatMap(ignored -> pool.withTransaction(this::swap))
                .onFailure().call(failure -> pool.preparedQuery("""
                                UPDATE projection_status SET state = 'FAILED', finished_at = now(), last_error = $1,
                                    last_error_at = now() WHERE name = 'rebuild'""")
                        .execute(Tuple.of(String.valueOf(failure.getMessage()))));
    }

    private Uni<Void> prepare() {
        ProjectionTables live = ProjectionTables.LIVE;
        ProjectionTables next = ProjectionTables.NEXT;
        return pool.withTransaction(conn -> conn.query(
                "DROP TABLE IF EXISTS " + next.view + ", " + next.figures + ", " + next.timeline + "; "
                        + "CREATE TABLE " + next.view + " (LIKE " + live.view + " INCLUDING ALL); "
                        + "CREATE TABLE " + next.figures + " (LIKE " + live.figures + " INCLUDING ALL); "
                        + "CREATE TABLE " + next.timeline + " (LIKE " + live.timeline + " INCLUDING ALL)")
                .execute().replaceWithVoid());
    }

    /** Replays the projects after {@code afterProjectId}, a page per transaction. */
    private Uni<Void> replayFrom(String afterProjectId) {
        return pool.withTransaction(conn -> store.histories(conn, afterProjectId, pageSize).flatMap(histories -> {
            if (histories.isEmpty()) {
                return Uni.createFrom().item("");
            }
            List<ProjectionWriter.Change> changes = new ArrayList<>(histories.size());
            long events = 0;
            long lastPosition = 0;
            String lastProject = afterProjectId;
            for (Map.Entry<String, List<RecordedEvent>> history : histories.entrySet()) {
                ProjectionWriter.Change change = Projector.change(history.getKey(), ProjectState.UNKNOWN, history.getValue());
                changes.add(change);
                events += history.getValue().size();
                lastPosition = Math.max(lastPosition, change.lastPosition());
                lastProject = history.getKey();
            }
            String next = lastProject;
            long eventCount = events;
            long position = lastPosition;
            return ProjectionWriter.write(conn, ProjectionTables.NEXT, changes)
                    .call(() -> progress(conn, changes.size(), eventCount, position))
                    .replaceWith(next);
        })).flatMap(next -> next.isEmpty() ? Uni.createFrom().voidItem() : replayFrom(next));
    }

    private Uni<Void> progress(SqlConnection conn, int projects, long events, long lastPosition) {
        return conn.preparedQuery("""
                        UPDATE projection_status
                        SET projects_done = projects_done + $1, events_done = events_done + $2,
                            last_position = GREATEST(last_position, $3), heartbeat_at = now(),
                            events_per_second = round((events_done + $2)
                                / GREATEST(extract(epoch FROM now() - started_at), 0.001), 1)
                        WHERE name = 'rebuild'
                        RETURNING projects_done, projects_total""")
                .execute(Tuple.of(projects, events, lastPosition))
                .invoke(rows -> {
                    Row row = rows.iterator().next();
                    long total = row.getLong("projects_total");
                    metrics.rebuildProgress(total == 0 ? 1 : Math.min(1, (double) row.getLong("projects_done") / total));
                })
                .replaceWithVoid();
    }

    /** Applies what reached the store since the replay read it, to the projects whose next view is behind. */
    private Uni<Void> catchUp(SqlConnection conn) {
        ProjectionTables next = ProjectionTables.NEXT;
        return conn.query("SELECT h.project_id, coalesce(n.version, 0) AS version FROM stream_heads h LEFT JOIN "
                        + next.view + " n USING (project_id) WHERE coalesce(n.version, 0) < h.version")
                .execute()
                .flatMap(behind -> {
                    if (behind.size() == 0) {
                        return Uni.createFrom().voidItem();
                    }
                    List<String> ids = new ArrayList<>();
                    behind.forEach(row -> ids.add(row.getString("project_id")));
                    return conn.preparedQuery("SELECT " + ProjectView.COLUMNS + " FROM " + next.view
                                    + " WHERE project_id = ANY($1)")
                            .execute(Tuple.of(ids.toArray(String[]::new)))
                            .flatMap(views -> {
                                Map<String, ProjectState> states = new HashMap<>();
                                for (Row row : views) {
                                    states.put(row.getString("project_id"), ProjectView.fromRow(row).toState());
                                }
                                return catchUpEach(conn, ids, states, new ArrayList<>(), 0);
                            });
                });
    }

    private Uni<Void> catchUpEach(SqlConnection conn, List<String> ids, Map<String, ProjectState> states,
                                  List<ProjectionWriter.Change> changes, int i) {
        if (i == ids.size()) {
            long events = changes.stream().mapToLong(c -> c.after().version() - c.before().version()).sum();
            return ProjectionWriter.write(conn, ProjectionTables.NEXT, changes)
                    .call(() -> progress(conn, 0, events, changes.stream()
                            .mapToLong(ProjectionWriter.Change::lastPosition).max().orElse(0)));
        }
        String id = ids.get(i);
        ProjectState before = states.getOrDefault(id, ProjectState.UNKNOWN);
        return store.between(conn, id, before.version(), Long.MAX_VALUE).flatMap(events -> {
            if (!events.isEmpty()) {
                changes.add(Projector.change(id, before, events));
            }
            return catchUpEach(conn, ids, states, changes, i + 1);
        });
    }

    /** Waits for the live projectors' transactions to end, catches up the last events, swaps the tables. */
    private Uni<Void> swap(SqlConnection conn) {
        ProjectionTables live = ProjectionTables.LIVE;
        ProjectionTables next = ProjectionTables.NEXT;
        StringBuilder ddl = new StringBuilder();
        for (String[] pair : new String[][]{{live.view, next.view}, {live.figures, next.figures},
                {live.timeline, next.timeline}}) {
            ddl.append("ALTER TABLE ").append(pair[0]).append(" RENAME TO ").append(pair[0]).append("_old; ")
                    .append("ALTER TABLE ").append(pair[1]).append(" RENAME TO ").append(pair[0]).append("; ")
                    .append("DROP TABLE ").append(pair[0]).append("_old; ");
        }
        return conn.preparedQuery("SELECT pg_advisory_xact_lock($1)").execute(Tuple.of(ProjectionTables.SWAP_LOCK))
                .flatMap(locked -> catchUp(conn))
                .flatMap(caughtUp -> conn.query(ddl.toString()).execute())
                .flatMap(swapped -> conn.query("UPDATE projection_status SET state = 'DONE', finished_at = now(), "
                        + "heartbeat_at = now() WHERE name = 'rebuild'").execute())
                .replaceWithVoid();
    }
}
