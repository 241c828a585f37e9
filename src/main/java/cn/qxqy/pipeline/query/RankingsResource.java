package cn.qxqy.pipeline.query;

import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Clock;

@Path("/api/v1/campaigns/{campaignId}/rankings")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Campaigns")
@RolesAllowed({"viewer", "department", "admin"})
public class RankingsResource {

    private final Rankings rankings;
    private final CampaignReads reads;
    private final Clock clock;

    public RankingsResource(Rankings rankings, CampaignReads reads, Clock clock) {
        this.rankings = rankings;
        this.reads = reads;
        this.clock = clock;
    }

    @GET
    @Operation(operationId = "getCampaignRankings", summary = "The counties ranked against their shares (排名通报)",
            description = "On each target: each county's reached (counted as the campaign's progress counts it, over "
                    + "the county's projects), its share, completionRate = reached / share × 100, ratioToSchedule = "
                    + "completion ÷ 时序进度 and its band by the campaign's thresholds, ranked by completion rate among "
                    + "the counties with a share, ties sharing (1, 1, 3); a county without a share is listed unranked, "
                    + "the city level (市本级) shown, not ranked. Then the counties ranked by planned, signed and "
                    + "this year's investment. 时序进度 = days from startsOn to day, inclusive, ÷ days from startsOn to "
                    + "endsOn, inclusive; day is asOf, or today but at most endsOn. Ranks are compared with those of "
                    + "the previous month's last day as known now.")
    @APIResponse(responseCode = "200", description = "the rankings")
    @APIResponse(responseCode = "400", description = "/problems/invalid-query: asOf or knownAt is malformed or in the "
            + "future, or asOf is before the campaign's startsOn")
    @APIResponse(responseCode = "404", description = "/problems/unknown-campaign")
    public Uni<RankingResponses.Rankings> get(@PathParam("campaignId") String campaignId,
            @Parameter(description = CampaignsResource.AS_OF) @QueryParam("asOf") String asOf,
            @Parameter(description = CampaignsResource.KNOWN_AT) @QueryParam("knownAt") String knownAt) {
        TimeAxes axes = TimeAxes.of(asOf, knownAt, clock);
        return reads.refuseBeforeStart(campaignId, axes).flatMap(ignored -> rankings.read(campaignId, axes));
    }
}
