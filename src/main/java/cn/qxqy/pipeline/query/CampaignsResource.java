package cn.qxqy.pipeline.query;

import cn.qxqy.pipeline.campaign.CampaignWithTargets;
import cn.qxqy.pipeline.campaign.Campaigns;
import cn.qxqy.pipeline.domain.FieldViolation;
import cn.qxqy.pipeline.domain.Wording;
import cn.qxqy.pipeline.problem.Problem;
import cn.qxqy.pipeline.problem.ProblemType;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Clock;
import java.util.List;

@Path("/api/v1/campaigns")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Campaigns")
@RolesAllowed({"viewer", "department", "admin"})
public class CampaignsResource {

    public static final String AS_OF = "the business date YYYY-MM-DD (截至日期): each project as its history says it stood at the "
            + "end of that day, Asia/Shanghai; not before the campaign's startsOn nor after today";
    public static final String KNOWN_AT = "record time, an RFC 3339 instant: only events stored by then count, targets and "
            + "settings as they were then; not in the future";

    private final Campaigns campaigns;
    private final CampaignReads reads;
    private final GenerationCache kept;
    private final Clock clock;

    public CampaignsResource(Campaigns campaigns, CampaignReads reads, GenerationCache kept, Clock clock) {
        this.campaigns = campaigns;
        this.reads = reads;
        this.kept = kept;
        this.clock = clock;
    }

    @GET
    @Operation(operationId = "listCampaigns", summary = "All campaigns",
            description = "Each with its targets; the answer carries an ETag, and If-None-Match answers 304 while nothing changed.")
    @APIResponse(responseCode = "200", description = "every campaign with its targets, the latest year first")
    public Uni<List<CampaignWithTargets>> list() {
        return campaigns.all();
    }

    @GET
    @Path("/{campaignId}")
    @Operation(operationId = "getCampaign", summary = "One campaign with its targets",
            description = "The campaign as its administrators defined it, with its targets.")
    @APIResponse(responseCode = "200", description = "the campaign")
    @APIResponse(responseCode = "404", description = "/problems/unknown-campaign")
    public Uni<CampaignWithTargets> get(@PathParam("campaignId") String campaignId) {
        return reads.campaign(campaignId);
    }

    @GET
    @Path("/{campaignId}/summary")
    @Operation(operationId = "getCampaignSummary", summary = "Counts and investment totals of a campaign, per stage",
            description = "Totals are over active (not withdrawn) projects; amounts in 万元.")
    @APIResponse(responseCode = "200", description = "the summary")
    @APIResponse(responseCode = "400", description = "/problems/invalid-query: asOf or knownAt is malformed or in the "
            + "future, or asOf is before the campaign's startsOn")
    @APIResponse(responseCode = "404", description = "/problems/unknown-campaign")
    public Uni<CampaignResponses.Summary> summary(@PathParam("campaignId") String campaignId,
            @Parameter(description = AS_OF) @QueryParam("asOf") String asOf,
            @Parameter(description = KNOWN_AT) @QueryParam("knownAt") String knownAt, @Context RoutingContext request) {
        TimeAxes axes = TimeAxes.of(asOf, knownAt, clock);
        return kept.answer(request, axes, () -> reads.refuseBeforeStart(campaignId, axes)
                .flatMap(ignored -> reads.summary(campaignId, axes)), "summary", campaignId);
    }

    @GET
    @Path("/{campaignId}/breakdown")
    @Operation(operationId = "getCampaignBreakdown",
            summary = "The summary's figures per region, industry chain or category",
            description = "A project in two categories counts in both. Every reference entry is listed, with zeros where it has no project.")
    @APIResponse(responseCode = "200", description = "the breakdown")
    @APIResponse(responseCode = "400", description = "/problems/invalid-query: by is not region, chain or category; asOf or knownAt is malformed or "
            + "in the future, or asOf is before the campaign's startsOn")
    @APIResponse(responseCode = "404", description = "/problems/unknown-campaign")
    public Uni<CampaignResponses.Breakdown> breakdown(@PathParam("campaignId") String campaignId, @QueryParam("by") String by,
            @Parameter(description = AS_OF) @QueryParam("asOf") String asOf,
            @Parameter(description = KNOWN_AT) @QueryParam("knownAt") String knownAt, @Context RoutingContext request) {
        TimeAxes axes = TimeAxes.of(asOf, knownAt, clock);
        return kept.answer(request, axes, () -> reads.refuseBeforeStart(campaignId, axes)
                .flatMap(ignored -> reads.breakdown(campaignId, by, axes)), "breakdown", campaignId, by);
    }

    @GET
    @Path("/{campaignId}/progress")
    @Operation(operationId = "getCampaignProgress",
            summary = "Each target of a campaign with its actual figure and percentage, and the rates in use",
            description = "Over active (not withdrawn) projects, from the same read models as the summary. A target "
                    + "counts the projects (or sums the annual planned investment, 万元) that are in any of its "
                    + "categories and have reached its stage; its percentage is actual / target × 100, rounded half up "
                    + "to 1 decimal. Each rate names its numerator and denominator; its percentage is null when the "
                    + "denominator is 0.")
    @APIResponse(responseCode = "200", description = "the progress")
    @APIResponse(responseCode = "400", description = "/problems/invalid-query: asOf or knownAt is malformed or in the "
            + "future, or asOf is before the campaign's startsOn")
    @APIResponse(responseCode = "404", description = "/problems/unknown-campaign")
    public Uni<CampaignResponses.Progress> progress(@PathParam("campaignId") String campaignId,
            @Parameter(description = AS_OF) @QueryParam("asOf") String asOf,
            @Parameter(description = KNOWN_AT) @QueryParam("knownAt") String knownAt, @Context RoutingContext request) {
        TimeAxes axes = TimeAxes.of(asOf, knownAt, clock);
        return kept.answer(request, axes, () -> reads.refuseBeforeStart(campaignId, axes)
                .flatMap(ignored -> reads.progress(campaignId, axes)), "progress", campaignId);
    }

    @GET
    @Path("/{campaignId}/timeline")
    @Operation(operationId = "getCampaignTimeline", summary = "Milestones per month of their date",
            description = "Per month (by occurredOn, not arrival): projects reserved, signed, started, completed and "
                    + "withdrawn, with the investment involved (signed investment for signings, planned investment "
                    + "otherwise), over projects still active; a retraction removes what it undid. 万元.")
    @APIResponse(responseCode = "200", description = "the timeline")
    @APIResponse(responseCode = "400", description = "/problems/invalid-query: granularity is not month; asOf or knownAt is malformed or "
            + "in the future, or asOf is before the campaign's startsOn")
    @APIResponse(responseCode = "404", description = "/problems/unknown-campaign")
    public Uni<CampaignResponses.Timeline> timeline(@PathParam("campaignId") String campaignId,
            @QueryParam("granularity") @DefaultValue("month") String granularity,
            @Parameter(description = AS_OF) @QueryParam("asOf") String asOf,
            @Parameter(description = KNOWN_AT) @QueryParam("knownAt") String knownAt, @Context RoutingContext request) {
        if (!"month".equals(granularity)) {
            throw Problem.of(ProblemType.INVALID_QUERY, Wording.of("query.unknown-granularity"),
                    List.of(FieldViolation.of("granularity", "query.month"))).exception();
        }
        TimeAxes axes = TimeAxes.of(asOf, knownAt, clock);
        return kept.answer(request, axes, () -> reads.refuseBeforeStart(campaignId, axes)
                .flatMap(ignored -> reads.timeline(campaignId, granularity, axes)), "timeline", campaignId);
    }
}
