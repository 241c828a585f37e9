package cn.qxqy.pipeline.query;

import cn.qxqy.pipeline.campaign.CampaignWithTargets;
import cn.qxqy.pipeline.campaign.Campaigns;
import cn.qxqy.pipeline.domain.FieldViolation;
import cn.qxqy.pipeline.domain.Stage;
import cn.qxqy.pipeline.domain.Wording;
import cn.qxqy.pipeline.problem.Problem;
import cn.qxqy.pipeline.problem.ProblemType;
import cn.qxqy.pipeline.projection.FigureKey;
import cn.qxqy.pipeline.projection.Figures;
import cn.qxqy.pipeline.reference.ReferenceData;
import cn.qxqy.pipeline.reference.ReferenceResource;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

@Path("/api/v1/campaigns")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Campaigns")
@RolesAllowed({"viewer", "department", "admin"})
public class CampaignsResource {

    /** Breakdown dimensions: the figures' dimension and the reference list naming its keys. */
    private static final Map<String, String[]> BREAKDOWNS = Map.of(
            "region", new String[]{FigureKey.REGION, "regions"},
            "chain", new String[]{FigureKey.CHAIN, "industry-chains"},
            "category", new String[]{FigureKey.CATEGORY, "categories"});

    private final Campaigns campaigns;
    private final CampaignFigures figures;
    private final ReferenceData referenceData;

    public CampaignsResource(Campaigns campaigns, CampaignFigures figures, ReferenceData referenceData) {
        this.campaigns = campaigns;
        this.figures = figures;
        this.referenceData = referenceData;
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
        return campaigns.find(campaignId).map(campaign -> {
            if (campaign == null) {
                throw unknownCampaign(campaignId);
            }
            return campaign;
        });
    }

    @GET
    @Path("/{campaignId}/summary")
    @Operation(operationId = "getCampaignSummary", summary = "Counts and investment totals of a campaign, per stage",
            description = "Totals are over active (not withdrawn) projects; amounts in 万元.")
    @APIResponse(responseCode = "200", description = "the summary")
    @APIResponse(responseCode = "404", description = "/problems/unknown-campaign")
    public Uni<CampaignResponses.Summary> summary(@PathParam("campaignId") String campaignId) {
        return known(campaignId).flatMap(ignored -> figures.figures(campaignId, FigureKey.ALL))
                .map(all -> CampaignResponses.Summary.of(campaignId,
                        all.isEmpty() ? Figures.ZERO : all.values().iterator().next()));
    }

    @GET
    @Path("/{campaignId}/breakdown")
    @Operation(operationId = "getCampaignBreakdown",
            summary = "The summary's figures per region, industry chain or category",
            description = "A project in two categories counts in both. Every reference entry is listed, with zeros where it has no project.")
    @APIResponse(responseCode = "200", description = "the breakdown")
    @APIResponse(responseCode = "400", description = "/problems/invalid-query: by is not region, chain or category")
    @APIResponse(responseCode = "404", description = "/problems/unknown-campaign")
    public Uni<CampaignResponses.Breakdown> breakdown(@PathParam("campaignId") String campaignId, @QueryParam("by") String by) {
        String[] dimension = by == null ? null : BREAKDOWNS.get(by);
        if (dimension == null) {
            throw Problem.of(ProblemType.INVALID_QUERY, Wording.of("query.unknown-breakdown"),
                    List.of(FieldViolation.of("by", "field.one-of", BREAKDOWNS.keySet())))
                    .exception();
        }
        return known(campaignId)
                .flatMap(ignored -> Uni.combine().all().unis(referenceData.list(dimension[1]),
                        figures.figures(campaignId, dimension[0])).asTuple())
                .map(results -> {
                    List<CampaignResponses.BreakdownItem> items = new ArrayList<>();
                    for (ReferenceResource.Entry entry : results.getItem1()) {
                        items.add(CampaignResponses.BreakdownItem.of(entry.code(), entry.nameZh(), entry.nameEn(),
                                results.getItem2().getOrDefault(entry.code(), Figures.ZERO)));
                    }
                    return new CampaignResponses.Breakdown(campaignId, by, items);
                });
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
    @APIResponse(responseCode = "404", description = "/problems/unknown-campaign")
    public Uni<CampaignResponses.Progress> progress(@PathParam("campaignId") String campaignId) {
        return known(campaignId)
                .flatMap(ignored -> Uni.combine().all().unis(campaigns.targets(campaignId),
                        figures.progressGroups(campaignId)).asTuple())
                .map(results -> CampaignProgress.of(campaignId, results.getItem1(), results.getItem2()));
    }

    @GET
    @Path("/{campaignId}/timeline")
    @Operation(operationId = "getCampaignTimeline", summary = "Milestones per month of their date",
            description = "Per month (by occurredOn, not arrival): projects reserved, signed, started, completed and "
                    + "withdrawn, with the investment involved (signed investment for signings, planned investment "
                    + "otherwise), over projects still active; a retraction removes what it undid. 万元.")
    @APIResponse(responseCode = "200", description = "the timeline")
    @APIResponse(responseCode = "400", description = "/problems/invalid-query: granularity is not month")
    @APIResponse(responseCode = "404", description = "/problems/unknown-campaign")
    public Uni<CampaignResponses.Timeline> timeline(@PathParam("campaignId") String campaignId,
                                    @QueryParam("granularity") @DefaultValue("month") String granularity) {
        if (!"month".equals(granularity)) {
            throw Problem.of(ProblemType.INVALID_QUERY, Wording.of("query.unknown-granularity"),
                    List.of(FieldViolation.of("granularity", "query.month"))).exception();
        }
        return known(campaignId)
                .flatMap(ignored -> figures.timeline(campaignId))
                .map(rows -> {
                    // Rows come month by month; each month lists every milestone, 0 where none was reached.
                    Map<String, Map<Stage, CampaignResponses.Milestones>> months = new LinkedHashMap<>();
                    for (CampaignFigures.TimelineRow row : rows) {
                        months.computeIfAbsent(row.month(), month -> new EnumMap<>(Stage.class))
                                .put(row.milestone(), new CampaignResponses.Milestones(row.projects(), row.investment()));
                    }
                    List<CampaignResponses.Period> periods = new ArrayList<>();
                    months.forEach((month, reached) -> periods.add(new CampaignResponses.Period(month,
                            milestone(reached, Stage.RESERVED), milestone(reached, Stage.SIGNED),
                            milestone(reached, Stage.STARTED), milestone(reached, Stage.COMPLETED),
                            milestone(reached, Stage.WITHDRAWN))));
                    return new CampaignResponses.Timeline(campaignId, granularity, periods);
                });
    }

    private Uni<Void> known(String campaignId) {
        return referenceData.isCampaign(campaignId).flatMap(known -> known
                ? Uni.createFrom().voidItem()
                : Uni.createFrom().failure(unknownCampaign(campaignId)));
    }

    private static CampaignResponses.Milestones milestone(Map<Stage, CampaignResponses.Milestones> reached, Stage stage) {
        return reached.getOrDefault(stage, CampaignResponses.Milestones.NONE);
    }

    private static RuntimeException unknownCampaign(String campaignId) {
        return Problem.of(ProblemType.UNKNOWN_CAMPAIGN, Wording.of("campaign.unknown", campaignId)).exception();
    }
}
