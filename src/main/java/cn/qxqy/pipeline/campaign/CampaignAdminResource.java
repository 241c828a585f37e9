package cn.qxqy.pipeline.campaign;

import cn.qxqy.pipeline.domain.FieldViolation;
import cn.qxqy.pipeline.domain.Wording;
import cn.qxqy.pipeline.problem.Problem;
import cn.qxqy.pipeline.problem.ProblemType;
import cn.qxqy.pipeline.reference.ReferenceData;
import cn.qxqy.pipeline.wire.JsonFields;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.SchemaProperty;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * Campaigns and their targets, edited without a deploy. Ingest learns of a new campaign within
 * {@code pipeline.reference.ttl} (the reference codes are cached that long).
 */
@Path("/api/v1/admin/campaigns")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("admin")
@Tag(name = "Admin")
public class CampaignAdminResource {

    /** The targets of a campaign, as stored. */
    public record Targets(String campaignId, List<TargetDefinition> targets) {
    }

    private final Campaigns campaigns;
    private final ObjectMapper strict;
    private final ReferenceData reference;

    public CampaignAdminResource(Campaigns campaigns, ObjectMapper mapper, ReferenceData reference) {
        this.campaigns = campaigns;
        this.strict = JsonFields.strict(mapper);
        this.reference = reference;
    }

    @PUT
    @Path("/{campaignId}")
    @Operation(operationId = "putCampaign", summary = "Create or replace a campaign",
            description = "Body: nameZh, nameEn, year, cityCode (6-digit administrative code), optional launchedOn, "
                    + "optional startsOn and endsOn (the campaign's calendar: by default 1 January and 31 December of "
                    + "year; within the years year-1 to year+1, endsOn not before startsOn). 201 when created, 200 "
                    + "when replaced; the targets are kept. Every change is kept with its instant, for reads with "
                    + "knownAt.")
    @APIResponse(responseCode = "201", description = "created",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = CampaignDefinition.class)))
    @APIResponse(responseCode = "200", description = "replaced",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = CampaignDefinition.class)))
    @APIResponse(responseCode = "400", description = "/problems/invalid-request: errors names each invalid field")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = CampaignDefinition.class)))
    public Uni<Response> putCampaign(@PathParam("campaignId") String campaignId, String body) {
        List<FieldViolation> violations = new ArrayList<>();
        CampaignDefinition.checkId(campaignId, violations);
        CampaignDefinition campaign = CampaignDefinition.read(campaignId, Input.parseObject(strict, body), violations);
        if (!violations.isEmpty()) {
            throw Input.invalid(Wording.of("campaign.invalid"), violations);
        }
        return campaigns.define(campaign)
                .map(created -> created
                        ? Response.created(URI.create("/api/v1/campaigns/" + campaignId)).entity(campaign).build()
                        : Response.ok(campaign).build());
    }

    @PUT
    @Path("/{campaignId}/targets")
    @Operation(operationId = "putCampaignTargets", summary = "Replace a campaign's targets, all at once",
            description = "Body: {\"targets\": [{code, nameZh, nameEn, measure (projects | annualPlannedInvestment), "
                    + "categories (a project counts if it is in any; empty: every project), reachedStage "
                    + "(SIGNED | STARTED | COMPLETED | null), target}]}, in the order progress lists them.")
    @APIResponse(responseCode = "200", description = "the targets as stored")
    @APIResponse(responseCode = "400", description = "/problems/invalid-request: errors names each invalid field")
    @APIResponse(responseCode = "404", description = "/problems/unknown-campaign")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(type = SchemaType.OBJECT, requiredProperties = "targets", properties = @SchemaProperty(name = "targets",
                    type = SchemaType.ARRAY, implementation = TargetDefinition.class))))
    public Uni<Targets> putTargets(@PathParam("campaignId") String campaignId, String body) {
        List<FieldViolation> violations = new ArrayList<>();
        CampaignDefinition.checkId(campaignId, violations);
        List<TargetDefinition> targets = TargetDefinition.readAll(Input.parseObject(strict, body), violations);
        return reference.categories().flatMap(known -> {
            if (targets != null) {
                for (int i = 0; i < targets.size(); i++) {
                    if (targets.get(i) == null) {
                        continue;
                    }
                    List<String> categories = targets.get(i).categories();
                    for (int j = 0; j < categories.size(); j++) {
                        if (!known.contains(categories.get(j))) {
                            violations.add(FieldViolation.of("targets[" + i + "].categories[" + j + "]",
                                    "reference.unknown-category", categories.get(j)));
                        }
                    }
                }
            }
            if (!violations.isEmpty()) {
                throw Input.invalid(Wording.of("targets.invalid"), violations);
            }
            return campaigns.replaceTargets(campaignId, targets);
        }).map(replaced -> {
            if (!replaced) {
                throw Problem.of(ProblemType.UNKNOWN_CAMPAIGN, Wording.of("campaign.unknown", campaignId)).exception();
            }
            return new Targets(campaignId, targets);
        });
    }
}
