package cn.qxqy.pipeline.projection;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/** Where the projector and the rebuild stand (table {@code projection_status}), with the lag behind the event store. */
@ApplicationScoped
public class ProjectionStatuses {

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
                                   long projectsDone, long projectsTotal, long eventsDone, BigDecimal eventsPerSecond,
                                   OffsetDateTime startedAt, OffsetDateTime finishedAt, String lastError,
                                   OffsetDateTime lastErrorAt) {
    }

    private final Pool pool;

    public ProjectionStatuses(Pool pool) {
        this.pool = pool;
    }

    /** Every projection run, by name. */
    public Uni<List<ProjectionStatus>> all() {
        return pool.query("SELECT s.*, (SELECT coalesce(max(position), 0) FROM events) AS head_position, lag.*, "
                        + "(SELECT count(*) FROM projection_dead_letters) AS dead_letters "
                        + "FROM projection_status s, (" + ProjectorLag.QUERY + ") lag ORDER BY s.name")
                .execute()
                .map(rows -> {
                    List<ProjectionStatus> list = new ArrayList<>();
                    for (Row row : rows) {
                        boolean live = "projector".equals(row.getString("name"));
                        long storeEvents = row.getLong("store_events");
                        long done = live ? row.getLong("live_events") : row.getLong("events_done");
                        list.add(new ProjectionStatus(row.getString("name"), row.getString("state"),
                                live ? row.getLong("live_position") : row.getLong("last_position"),
                                row.getLong("head_position"),
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
}
