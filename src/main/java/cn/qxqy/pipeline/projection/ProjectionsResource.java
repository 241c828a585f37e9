package cn.qxqy.pipeline.projection;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

@Path("/api/v1/admin/projections")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("admin")
@Tag(name = "Admin")
public class ProjectionsResource {

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
    private final Rebuild rebuild;
    private final ConsistencyCheck check;
    private final Projector projector;

    public ProjectionsResource(Pool pool, Rebuild rebuild, ConsistencyCheck check, Projector projector) {
        this.pool = pool;
        this.rebuild = rebuild;
        this.check = check;
        this.projector = projector;
    }

    @GET
    @Operation(summary = "Where the projections stand: position, lag behind the event store, rate, state, last error")
    public Uni<List<ProjectionStatus>> status() {
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

    @POST
    @Path("/rebuild")
    @Operation(summary = "Rebuild the read models from the event store while serving",
            description = "202 when started; progress in GET /api/v1/admin/projections; 409 while one runs.")
    public Uni<Response> rebuild() {
        return rebuild.start().map(started -> Response.accepted().build());
    }

    @GET
    @Path("/dead-letters")
    @Operation(summary = "Projects the projector parked, with the error that stopped them",
            description = "Their events are held back, in order, until a re-drive applies them from the event store.")
    public Uni<List<DeadLetter>> deadLetters() {
        return projector.deadLetters();
    }

    @POST
    @Path("/dead-letters/redrive")
    @Operation(summary = "Apply parked projects from the event store, after the cause is fixed",
            description = "The projects named by projectId, or every parked project when none is named; the outcome "
                    + "of each. A project that fails again stays parked with the new error.")
    public Uni<List<Projector.Redrive>> redrive(@QueryParam("projectId") List<String> projectIds) {
        Uni<List<String>> parked = projectIds == null || projectIds.isEmpty()
                ? projector.deadLetters().map(letters -> letters.stream().map(DeadLetter::projectId).toList())
                : Uni.createFrom().item(projectIds);
        return parked.flatMap(ids -> ids.isEmpty() ? Uni.createFrom().item(List.<Projector.Redrive>of())
                : Multi.createFrom().iterable(ids).onItem().transformToUniAndConcatenate(projector::redrive)
                .collect().asList());
    }

    @GET
    @Path("/check")
    @Operation(summary = "Recompute every figure from the event store and list differences with the live read models")
    public Uni<ConsistencyCheck.Report> check() {
        return check.run();
    }
}
