package cn.qxqy.pipeline.followup;

import cn.qxqy.pipeline.query.TimeAxes;
import cn.qxqy.pipeline.security.Senders;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Clock;

/** A campaign's follow-up list (督办): read by everybody with a role, answered by the departments holding the county. */
@Path("/api/v1/campaigns/{campaignId}/follow-ups")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Follow-ups")
@RolesAllowed({"viewer", "department", "admin"})
public class FollowUpsResource {

    static final String REQUEST_ID = "X-Request-Id";

    private final FollowUpReads reads;
    private final FollowUpAnswers answers;
    private final Senders senders;
    private final Clock clock;

    public FollowUpsResource(FollowUpReads reads, FollowUpAnswers answers, Senders senders, Clock clock) {
        this.reads = reads;
        this.answers = answers;
        this.senders = senders;
        this.clock = clock;
    }

    @GET
    @Operation(operationId = "listFollowUps", summary = "The campaign's follow-up items (督办) as of a day",
            description = "Evaluated on read from the projects' dated histories and the campaign's follow-up settings: "
                    + "each listed project overdue on a rule, with its county, days overdue, status and latest answer; "
                    + "counts per county and per rule over every item. status=closed lists the items closed late "
                    + "instead. Sorted by regionCode, daysOverdue descending, itemId.")
    @APIResponse(responseCode = "200", description = "the follow-up list")
    @APIResponse(responseCode = "400", description = "/problems/invalid-query: asOf malformed, in the future or before the "
            + "campaign's startsOn; rule or status unknown; limit not 1–1000; offset negative")
    @APIResponse(responseCode = "404", description = "/problems/unknown-campaign")
    public Uni<FollowUpResponses.FollowUps> list(@PathParam("campaignId") String campaignId,
            @Parameter(description = "the day evaluated, YYYY-MM-DD; without it today (Asia/Shanghai), also after the campaign's endsOn")
            @QueryParam("asOf") String asOf,
            @Parameter(description = "only this county's items") @QueryParam("regionCode") String regionCode,
            @Parameter(description = "only this rule's items") @QueryParam("rule") String rule,
            @Parameter(description = "open (default: OPEN, ANSWERED, OVERDUE_AGAIN) or closed (CLOSED_LATE)")
            @QueryParam("status") String status,
            @Parameter(description = "1–1000, default 100") @QueryParam("limit") String limit,
            @Parameter(description = "default 0") @QueryParam("offset") String offset) {
        TimeAxes axes = TimeAxes.of(asOf, null, clock);
        return reads.list(campaignId, axes.asOf(), FollowUpFilter.of(regionCode, rule, status, limit, offset));
    }

    @GET
    @Path("/{itemId}")
    @Operation(operationId = "getFollowUp", summary = "One follow-up item as of today, with all its answers")
    @APIResponse(responseCode = "200", description = "the item")
    @APIResponse(responseCode = "404", description = "/problems/unknown-campaign, or /problems/unknown-follow-up: the "
            + "id is malformed, or the item is not listed today and was never answered")
    public Uni<FollowUpResponses.ItemWithAnswers> item(@PathParam("campaignId") String campaignId,
                                                       @PathParam("itemId") String itemId) {
        return reads.item(campaignId, itemId);
    }

    @POST
    @Path("/{itemId}/answers")
    @RolesAllowed({"department", "admin"})
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "answerFollowUp", summary = "Answer a follow-up item (督办反馈)",
            description = "Records the answer as a FollowUpAnswered event of the item's own stream follow-up:<itemId>: "
                    + "the project's version does not move. Only a department holding the item's county, itself or "
                    + "through the city; the item must be listed today (OPEN, ANSWERED or OVERDUE_AGAIN).")
    @APIResponse(responseCode = "201", description = "the answer as stored",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = FollowUpResponses.Answer.class)))
    @APIResponse(responseCode = "400", description = "/problems/invalid-request: errors name reason (1–500 characters) "
            + "or expectedOn (from today to 366 days later)")
    @APIResponse(responseCode = "403", description = "/problems/forbidden: the department does not hold the item's county")
    @APIResponse(responseCode = "404", description = "/problems/unknown-campaign or /problems/unknown-follow-up")
    @APIResponse(responseCode = "409", description = "/problems/follow-up-not-open: the item is not listed today")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = FollowUpResponses.AnswerRequest.class)))
    public Uni<Response> answer(@PathParam("campaignId") String campaignId, @PathParam("itemId") String itemId,
                                String body, @Context SecurityContext security,
                                @HeaderParam(REQUEST_ID) String requestId) {
        return answers.answer(campaignId, itemId, body, senders.ofRequest(security, requestId))
                .map(answer -> Response.status(Response.Status.CREATED).entity(answer).build());
    }
}
