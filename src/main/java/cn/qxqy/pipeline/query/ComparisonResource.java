package cn.qxqy.pipeline.query;

import cn.qxqy.pipeline.query.ComparisonResponses.Comparison;
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

@Path("/api/v1/campaigns/{campaignId}/comparison")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Campaigns")
@RolesAllowed({"viewer", "department", "admin"})
public class ComparisonResource {

    private final Comparisons comparisons;

    public ComparisonResource(Comparisons comparisons) {
        this.comparisons = comparisons;
    }

    @GET
    @Operation(operationId = "getCampaignComparison",
            summary = "A campaign compared with another day (环比) or with another campaign at the same point of its year (同比)",
            description = "Every headline figure of the summary (with each stage's), every target's actual figure and "
                    + "percentage, every rate's percentage and every row of the region, chain and category breakdowns, "
                    + "each with its value, the other side's and the delta (value − against; for a percentage, "
                    + "percentage points). Give against (a date of the same campaign, such as the previous month's "
                    + "last day) or againstCampaign (the same month and day in that campaign's year; 29 February reads "
                    + "as 28 February), not both. Without asOf this side is today's answer, and the day another "
                    + "campaign is read on is today, or this campaign's last day once it is over. A side whose day is "
                    + "before its campaign's startsOn (or, for another campaign, not yet come) is absent: present false, "
                    + "its values and the deltas null. knownAt applies to both sides.")
    @APIResponse(responseCode = "200", description = "the comparison")
    @APIResponse(responseCode = "400", description = "/problems/invalid-query: asOf, knownAt, against or againstCampaign is invalid, or both or neither of against and againstCampaign is given")
    @APIResponse(responseCode = "404", description = "/problems/unknown-campaign")
    public Uni<Comparison> get(@PathParam("campaignId") String campaignId,
            @Parameter(description = CampaignsResource.AS_OF) @QueryParam("asOf") String asOf,
            @Parameter(description = "the date to compare with, YYYY-MM-DD, of the same campaign; not after today")
            @QueryParam("against") String against,
            @Parameter(description = "the campaign to compare with, at the same month and day of its year")
            @QueryParam("againstCampaign") String againstCampaign,
            @Parameter(description = CampaignsResource.KNOWN_AT) @QueryParam("knownAt") String knownAt) {
        return comparisons.compare(campaignId, asOf, knownAt, against, againstCampaign);
    }
}
