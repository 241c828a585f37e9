package cn.qxqy.pipeline.ingest;

import cn.qxqy.pipeline.domain.FieldViolation;
import cn.qxqy.pipeline.domain.Wording;
import cn.qxqy.pipeline.problem.Problem;
import cn.qxqy.pipeline.problem.ProblemMappers;
import cn.qxqy.pipeline.problem.ProblemType;
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
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.List;

@Path("/api/v1/admin/intake-dead-letters")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("admin")
@Tag(name = "Admin")
public class IntakeDeadLettersResource {

    private static final Logger LOG = Logger.getLogger(IntakeDeadLettersResource.class);
    /** A broker restart or a leader election takes seconds. */
    private static final String RETRY_AFTER_SECONDS = "5";

    /** The records to replay: offsets of one partition of project-intake-dlq. */
    public record ReplayRequest(Integer partition, List<Long> offsets) {
    }

    private final IntakeDeadLetters deadLetters;

    public IntakeDeadLettersResource(IntakeDeadLetters deadLetters) {
        this.deadLetters = deadLetters;
    }

    @GET
    @Operation(operationId = "listIntakeDeadLetters",
            summary = "Intake records refused into project-intake-dlq, with the problem of each",
            description = "Reads project-intake-dlq from an offset of a partition; each record with the problem that refused it.")
    @APIResponse(responseCode = "200", description = "the dead letters from offset from on, at most limit")
    @APIResponse(responseCode = "400", description = "/problems/invalid-event: a parameter is out of range, or the "
            + "topic has no such partition")
    @APIResponse(responseCode = "503", description = "/problems/kafka-unavailable, with Retry-After: Kafka did not "
            + "answer in time; repeat the request later")
    public Uni<List<IntakeDeadLetters.DeadLetter>> list(@QueryParam("partition") @DefaultValue("0") int partition,
                                                        @QueryParam("from") @DefaultValue("0") long from,
                                                        @QueryParam("limit") @DefaultValue("100") int limit) {
        if (partition < 0 || from < 0 || limit < 1 || limit > 1000) {
            throw Problem.invalid(Wording.of("dead-letters.range"), List.of(FieldViolation.of(
                    partition < 0 ? "partition" : from < 0 ? "from" : "limit", "dead-letters.out-of-range"))).exception();
        }
        return deadLetters.list(partition, from, limit);
    }

    @POST
    @Path("/replay")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "replayIntakeDeadLetters",
            summary = "Replay chosen dead letters after the sender fixed the cause",
            description = "Each record is submitted again as the intake did; the outcome of each offset (STORED, "
                    + "ALREADY_STORED, REFUSED with its problem, NOT_FOUND, ORIGINAL_NOT_FOUND). A truncated dead "
                    + "letter (header original-sha256) is replayed from its original record, read again from its "
                    + "intake topic at original-partition and original-offset; ORIGINAL_NOT_FOUND once that topic no "
                    + "longer keeps it. Replaying twice stores once.")
    @APIResponse(responseCode = "200", description = "the outcome of each offset, in offset order")
    @APIResponse(responseCode = "400", description = "/problems/invalid-event: no partition, or not 1 to 1000 offsets")
    @APIResponse(responseCode = "503", description = "/problems/kafka-unavailable, with Retry-After: Kafka did not "
            + "answer in time; nothing was replayed, repeat the request later")
    public Uni<List<IntakeDeadLetters.Replay>> replay(ReplayRequest request) {
        if (request == null || request.partition() == null || request.partition() < 0) {
            throw Problem.invalid(Wording.of("dead-letters.partition"),
                    List.of(FieldViolation.of("partition", "dead-letters.partition-field"))).exception();
        }
        if (request.offsets() == null || request.offsets().isEmpty() || request.offsets().size() > 1000
                || request.offsets().stream().anyMatch(offset -> offset == null || offset < 0)) {
            throw Problem.invalid(Wording.of("dead-letters.offsets"),
                    List.of(FieldViolation.of("offsets", "dead-letters.offsets-field"))).exception();
        }
        return deadLetters.replay(request.partition(), request.offsets());
    }

    @ServerExceptionMapper
    public Response kafkaUnavailable(IntakeDeadLetters.KafkaUnavailable e) {
        LOG.warnf("dead-letter request refused: %s", e.getMessage());
        return Response.fromResponse(ProblemMappers.respond(Problem.of(ProblemType.KAFKA_UNAVAILABLE,
                        Wording.of("kafka.unavailable", e.getMessage()))))
                .header("Retry-After", RETRY_AFTER_SECONDS).build();
    }
}
