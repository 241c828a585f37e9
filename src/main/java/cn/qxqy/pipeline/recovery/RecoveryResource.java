package cn.qxqy.pipeline.recovery;

import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

/** Restores of the store and republishes of project-events (README, "Backup and recovery"). */
@Path("/api/v1/admin/recovery")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("admin")
@Tag(name = "Admin")
public class RecoveryResource {

    /** Whether appends are held back for a restore, the restore waiting, and every recovery so far. */
    public record Status(boolean appendsHeld, @Schema(nullable = true) Recovery unacknowledged, List<Recovery> recoveries) {
    }

    private final RecoveryState state;
    private final Recoveries recoveries;
    private final Republish republish;

    public RecoveryResource(RecoveryState state, Recoveries recoveries, Republish republish) {
        this.state = state;
        this.recoveries = recoveries;
        this.republish = republish;
    }

    @GET
    @Operation(operationId = "getRecoveryStatus", summary = "Whether a restore of the store was noticed and waits for acknowledgement",
            description = "While one waits (appendsHeld), appends are answered 503 /problems/recovery-pending.")
    public Uni<Status> status() {
        return state.refresh().map(all -> new Status(state.unacknowledged() != null, state.unacknowledged(), all));
    }

    @POST
    @Path("/acknowledge")
    @Operation(operationId = "acknowledgeRecovery", summary = "Acknowledge a restore of the store: appends resume",
            description = "Moves the position sequence past project-events' highest, puts a marker on each partition "
                    + "(versions above each listed project's lastKeptVersion are re-used), starts a rebuild of the read "
                    + "models, and answers the events past the restore point, which their departments re-post with the "
                    + "same eventIds.")
    @APIResponse(responseCode = "200", description = "the recovery, with lostEvents to re-post")
    @APIResponse(responseCode = "409", description = "/problems/no-recovery-pending")
    public Uni<Recovery> acknowledge(@Context SecurityContext security) {
        return recoveries.acknowledge(security.getUserPrincipal().getName());
    }

    @POST
    @Path("/republish")
    @Operation(operationId = "republishEvents", summary = "Republish the store to project-events from a position (a lost or truncated topic)",
            description = "202 when started, at pipeline.recovery.republish-rate events a second; progress in GET "
                    + "/api/v1/admin/recovery/republish. Consumers ignore what they have by (projectId, version).")
    @APIResponse(responseCode = "202", description = "started: the republish and its range",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Republish.Progress.class)))
    @APIResponse(responseCode = "409", description = "/problems/republish-running")
    public Uni<Response> republish(@QueryParam("fromPosition") @DefaultValue("1") long fromPosition) {
        return republish.start(fromPosition).map(started -> Response.accepted(started).build());
    }

    @GET
    @Path("/republish")
    @Operation(operationId = "listRepublishes", summary = "Every republish, the latest first, with how far it got")
    public Uni<List<Republish.Progress>> republishes() {
        return republish.all();
    }
}
