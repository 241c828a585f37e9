package cn.qxqy.pipeline.ingest;

import cn.qxqy.pipeline.PipelineConfig;
import cn.qxqy.pipeline.domain.Language;
import cn.qxqy.pipeline.domain.Wording;
import cn.qxqy.pipeline.eventstore.AppendResult;
import cn.qxqy.pipeline.problem.BodyLimit;
import cn.qxqy.pipeline.problem.Problem;
import cn.qxqy.pipeline.problem.ProblemLanguage;
import cn.qxqy.pipeline.problem.ProblemType;
import cn.qxqy.pipeline.security.RateLimits;
import cn.qxqy.pipeline.security.Sender;
import cn.qxqy.pipeline.security.Senders;
import cn.qxqy.pipeline.wire.JsonFields;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Where department systems post lifecycle events. */
@Path("/api/v1")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("department")
@Tag(name = "Ingest")
public class EventsResource {

    /** One item of a batch's answer: the status it would get alone, and its result or its problem. */
    public record BatchItem(int status, @Schema(nullable = true, description = "when appended") AppendResult result,
                            @Schema(nullable = true, description = "when refused") Problem problem) {
    }

    public record BatchResult(List<BatchItem> results) {
    }

    /** The request id a proxy or client gives, kept with each event the request appends. */
    static final String REQUEST_ID = "X-Request-Id";

    private final IngestService ingest;
    private final Senders senders;
    private final RateLimits rateLimits;
    private final ObjectMapper strict;
    private final int maxEventBytes;
    private final int maxBatchItems;

    public EventsResource(IngestService ingest, Senders senders, RateLimits rateLimits, ObjectMapper mapper,
                          PipelineConfig config) {
        this.ingest = ingest;
        this.senders = senders;
        this.rateLimits = rateLimits;
        this.strict = JsonFields.strict(mapper);
        this.maxEventBytes = config.ingest().maxEventBytes();
        this.maxBatchItems = config.ingest().maxBatchItems();
    }

    @POST
    @Path("/projects/{projectId}/events")
    @BodyLimit.Max(1 << 20)
    @Operation(operationId = "postEvent", summary = "Append one event to a project's history",
            description = "201 when appended; 200 with the original result when the same eventId was posted with the same content.")
    @APIResponse(responseCode = "201", description = "appended",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = AppendResult.class)))
    @APIResponse(responseCode = "200", description = "appended before, with the same content: the original result",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = AppendResult.class)))
    @APIResponse(responseCode = "400", description = "/problems/invalid-event: errors names each invalid field")
    @APIResponse(responseCode = "403", description = "/problems/region-not-held or /problems/reserved-by-another-department")
    @APIResponse(responseCode = "404", description = "/problems/unknown-project: the event must start a project")
    @APIResponse(responseCode = "409", description = "/problems/illegal-transition, /problems/version-conflict, "
            + "/problems/event-id-reused or /problems/project-code-in-use")
    @APIResponse(responseCode = "413", description = "/problems/event-too-large")
    @APIResponse(responseCode = "429", description = "/problems/too-many-events: the department's rate on this replica; Retry-After")
    public Uni<Response> post(@PathParam("projectId") String projectId, String body, @Context SecurityContext security,
                              @HeaderParam(REQUEST_ID) String requestId) {
        if (body.getBytes(StandardCharsets.UTF_8).length > maxEventBytes) {
            throw Problem.of(ProblemType.EVENT_TOO_LARGE, Wording.of("event.too-large", maxEventBytes)).exception();
        }
        Sender sender = senders.ofRequest(security, requestId);
        rateLimits.take(sender.writer().department(), 1);
        return ingest.submit(parse(body), projectId, sender)
                .map(result -> Response.status(result.created() ? 201 : 200).entity(result).build());
    }

    @POST
    @Path("/events")
    @Operation(operationId = "postEvents", summary = "Append a batch of events, each on its own, in order",
            description = "200 with each item's status as it would get alone; the accepted items are stored in one transaction.")
    @APIResponse(responseCode = "200", description = "each item's status, and its result or its problem")
    @APIResponse(responseCode = "400", description = "/problems/invalid-event: the body is not a JSON array")
    @APIResponse(responseCode = "403", description = "/problems/forbidden: the token names no department")
    @APIResponse(responseCode = "413", description = "/problems/batch-too-large")
    @APIResponse(responseCode = "429", description = "/problems/too-many-events: the department's rate on this replica; Retry-After")
    public Uni<BatchResult> postBatch(String body, @Context SecurityContext security, @Context HttpHeaders headers,
                                      @HeaderParam(REQUEST_ID) String requestId) {
        JsonNode items = parse(body);
        if (!items.isArray()) {
            throw Problem.invalid(Wording.of("batch.not-array"), List.of()).exception();
        }
        if (items.size() > maxBatchItems) {
            throw Problem.of(ProblemType.BATCH_TOO_LARGE, Wording.of("batch.too-large", maxBatchItems)).exception();
        }
        // The items' problems are inside a 200, where ProblemLanguage does not look.
        Language language = ProblemLanguage.preferred(headers.getHeaderString(HttpHeaders.ACCEPT_LANGUAGE));
        Sender sender = senders.ofRequest(security, requestId);
        rateLimits.take(sender.writer().department(), items.size());
        List<IngestService.Posted> batch = new ArrayList<>(items.size());
        items.forEach(item -> batch.add(new IngestService.Posted(item, sender)));
        return ingest.submitAll(batch)
                .map(outcomes -> new BatchResult(outcomes.stream().map(outcome -> item(outcome, language)).toList()));
    }

    private static BatchItem item(IngestService.Outcome outcome, Language language) {
        if (outcome.refusal() != null) {
            return new BatchItem(outcome.refusal().problem().status(), null, outcome.refusal().problem().in(language));
        }
        return new BatchItem(outcome.result().created() ? 201 : 200, outcome.result(), null);
    }

    private JsonNode parse(String body) {
        try {
            JsonNode json = strict.readTree(body);
            if (json == null || json.isMissingNode()) {
                throw Problem.invalid(Wording.of("body.empty"), List.of()).exception();
            }
            return json;
        } catch (JsonProcessingException e) {
            throw Problem.invalid(Wording.of("body.not-json", e.getOriginalMessage()), List.of()).exception();
        }
    }
}
