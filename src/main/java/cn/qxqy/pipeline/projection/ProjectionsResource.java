package cn.qxqy.pipeline.projection;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.OffsetDateTime;
import java.util.List;

@Path("/api/v1/admin/projections")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("admin")
@Tag(name = "Admin")
public class ProjectionsResource {

    /**
     * @param position the highest event-store position the read models include
     * @param headPosition the event store's highest position
     * @param lag events in the store that the read models do not include yet
     */
    public record ProjectionStatus(String name, long position, long headPosition, long lag, String lastError,
                                   OffsetDateTime lastErrorAt) {
    }

    private final Pool pool;

    public ProjectionsResource(Pool pool) {
        this.pool = pool;
    }

    @GET
    @Operation(summary = "Where the projections stand: position, lag behind the event store, last error")
    public Uni<List<ProjectionStatus>> status() {
        // Versions count events per project, so the difference of their sums is the exact number of events pending.
        return pool.query("""
                        SELECT s.name, s.last_error, s.last_error_at,
                               (SELECT coalesce(max(last_position), 0) FROM project_view) AS position,
                               (SELECT coalesce(max(position), 0) FROM events) AS head_position,
                               (SELECT coalesce(sum(version), 0) FROM stream_heads)
                                 - (SELECT coalesce(sum(version), 0) FROM project_view) AS lag
                        FROM projection_status s ORDER BY s.name""")
                .execute()
                .map(rows -> {
                    List<ProjectionStatus> list = new java.util.ArrayList<>();
                    for (Row row : rows) {
                        list.add(new ProjectionStatus(row.getString("name"), row.getLong("position"),
                                row.getLong("head_position"), row.getLong("lag"), row.getString("last_error"),
                                row.getOffsetDateTime("last_error_at")));
                    }
                    return list;
                });
    }
}
