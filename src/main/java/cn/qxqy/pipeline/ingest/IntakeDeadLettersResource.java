package cn.qxqy.pipeline.ingest;

import cn.qxqy.pipeline.domain.FieldViolation;
import cn.qxqy.pipeline.problem.Problem;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

@Path("/api/v1/admin/intake-dead-letters")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("admin")
@Tag(name = "Admin")
public class IntakeDeadLettersResource {

    /** The records to replay: offsets of one partition of project-intake-dlq. */
    public record ReplayRequest(Integer partition, List<Long> offsets) {
    }

    private final IntakeDeadLetters deadLetters;

    public IntakeDeadLettersResource(IntakeDeadLetters deadLetters) {
        this.deadLetters = deadLetters;
    }

    @GET
    @Operation(summary = "Intake records refused into project-intake-dlq, with the problem of each")
    @APIResponse(responseCode = "200", description = "the dead letters from offset from on, at most limit")
    @APIResponse(responseCode = "400", description = "/problems/invalid-event: a parameter is out of range, or the "
            + "topic has no such partition")
    public Uni<List<IntakeDeadLetters.DeadLetter>> list(@QueryParam("partition") @DefaultValue("0") int partition,
                                                        @QueryParam("from") @DefaultValue("0") long from,
                                                        @QueryParam("limit") @DefaultValue("100") int limit) {
        if (partition < 0 || from < 0 || limit < 1 || limit > 1000) {
            throw Problem.invalid("partition and from are 0 or more, limit 1 to 1000", List.of(
                    new FieldViolation(partition < 0 ? "partition" : from < 0 ? "from" : "limit", "out of range"))).exception();
        }
        return deadLetters.list(partition, from, limit);
    }

    @POST
    @Path("/replay")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Replay chosen dead letters after the sender fixed the cause",
            description = "Each record is submitted again as the intake did; the outcome of each offset (STORED, "
                    + "ALREADY_STORED, REFUSED with its problem, NOT_FOUND). Replaying twice stores once.")
    @APIResponse(responseCode = "200", description = "the outcome of each offset, in offset order")
    @APIResponse(responseCode = "400", description = "/problems/invalid-event: no partition, or not 1 to 1000 offsets")
    public Uni<List<IntakeDeadLetters.Replay>> replay(ReplayRequest request) {
        if (request == null || request.partition() == null || request.partition() < 0) {
            throw Problem.invalid("name the partition of project-intake-dlq",
                    List.of(new FieldViolation("partition", "required, 0 or more"))).exception();
        }
        if (request.offsets() == null || request.offsets().isEmpty() || request.offsets().size() > 1000
                || request.offsets().stream().anyMatch(offset -> offset == null || offset < 0)) {
            throw Problem.invalid("name 1 to 1000 offsets of the partition",
                    List.of(new FieldViolation("offsets", "1 to 1000 offsets, each 0 or more"))).exception();
        }
        return deadLetters.replay(request.partition(), request.offsets());
    }
}
