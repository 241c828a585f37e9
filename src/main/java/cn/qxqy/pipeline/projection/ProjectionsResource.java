package cn.qxqy.pipeline.projection;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

@Path("/api/v1/admin/projections")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("admin")
@Tag(name = "Admin")
public class ProjectionsResource {

    private final ProjectionStatuses statuses;
    private final Rebuild rebuild;
    private final ConsistencyCheck check;
    private final Projector projector;

    public ProjectionsResource(ProjectionStatuses statuses, Rebuild rebuild, ConsistencyCheck check, Projector projector) {
        this.statuses = statuses;
        this.rebuild = rebuild;
        this.check = check;
        this.projector = projector;
    }

    @GET
    @Operation(operationId = "getProjectionStatus",
            summary = "Where the projections stand: position, lag behind the event store, rate, state, last error",
            description = "The live projector, and the last rebuild if any; eventsPerSecond and the times are null until known.")
    public Uni<List<ProjectionStatuses.ProjectionStatus>> status() {
        return statuses.all();
    }

    @POST
    @Path("/rebuild")
    @Operation(operationId = "rebuildProjections",
            summary = "Rebuild the read models from the event store while serving",
            description = "202 when started; progress in GET /api/v1/admin/projections; 409 while one runs.")
    @APIResponse(responseCode = "202", description = "started; no body")
    @APIResponse(responseCode = "409", description = "/problems/rebuild-running")
    public Uni<Response> rebuild() {
        return rebuild.start().map(started -> Response.accepted().build());
    }

    @GET
    @Path("/dead-letters")
    @Operation(operationId = "listProjectorDeadLetters",
            summary = "Projects the projector parked, with the error that stopped them",
            description = "Their events are held back, in order, until a re-drive applies them from the event store.")
    public Uni<List<DeadLetter>> deadLetters() {
        return projector.deadLetters();
    }

    @POST
    @Path("/dead-letters/redrive")
    @Operation(operationId = "redriveProjectorDeadLetters",
            summary = "Apply parked projects from the event store, after the cause is fixed",
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
    @Operation(operationId = "checkProjections",
            summary = "Recompute every figure from the event store and list differences with the live read models",
            description = "Each project is recomputed up to the version the read side has of it. A project whose "
                    + "latest events are not projected yet is pending (pendingProjects, the first of them in pending), "
                    + "not a difference: consistent is false only for differences, which are bugs.")
    public Uni<ConsistencyCheck.Report> check() {
        return check.run();
    }
}
