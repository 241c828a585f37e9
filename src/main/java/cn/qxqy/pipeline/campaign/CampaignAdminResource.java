package cn.qxqy.pipeline.campaign;

import cn.qxqy.pipeline.domain.FieldViolation;
import cn.qxqy.pipeline.eventstore.JsonFields;
import cn.qxqy.pipeline.problem.Problem;
import cn.qxqy.pipeline.problem.ProblemType;
import cn.qxqy.pipeline.reference.ReferenceData;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

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

    // xmax is 0 only in a row version this statement inserted: it tells a creation from a replacement.
    private static final String UPSERT_CAMPAIGN = """
            INSERT INTO campaigns (campaign_id, name_zh, name_en, year, city_code, launched_on)
            VALUES ($1, $2, $3, $4, $5, $6)
            ON CONFLICT (campaign_id) DO UPDATE SET name_zh = EXCLUDED.name_zh, name_en = EXCLUDED.name_en,
                year = EXCLUDED.year, city_code = EXCLUDED.city_code, launched_on = EXCLUDED.launched_on
            RETURNING xmax = 0 AS created""";
    private static final String INSERT_TARGET = "INSERT INTO campaign_targets (campaign_id, code, name_zh, name_en, "
            + "measure, categories, reached_stage, target, sort) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";

    private final Pool pool;
    private final ObjectMapper strict;
    private final ReferenceData reference;

    public CampaignAdminResource(Pool pool, ObjectMapper mapper, ReferenceData reference) {
        this.pool = pool;
        this.strict = JsonFields.strict(mapper);
        this.reference = reference;
    }

    @PUT
    @Path("/{campaignId}")
    @Operation(summary = "Create or replace a campaign",
            description = "Body: nameZh, nameEn, year, cityCode (6-digit administrative code), optional launchedOn. "
                    + "201 when created, 200 when replaced; the targets are kept.")
    public Uni<Response> putCampaign(@PathParam("campaignId") String campaignId, String body) {
        List<FieldViolation> violations = new ArrayList<>();
        CampaignDefinition.checkId(campaignId, violations);
        CampaignDefinition campaign = CampaignDefinition.read(campaignId, parseObject(body), violations);
        if (!violations.isEmpty()) {
            throw invalid("the campaign has invalid fields", violations);
        }
        return pool.preparedQuery(UPSERT_CAMPAIGN)
                .execute(Tuple.from(new Object[]{campaignId, campaign.nameZh(), campaign.nameEn(), campaign.year(),
                        campaign.cityCode(), campaign.launchedOn()}))
                .invoke(reference::forget)
                .map(rows -> rows.iterator().next().getBoolean("created")
                        ? Response.created(URI.create("/api/v1/campaigns/" + campaignId)).entity(campaign).build()
                        : Response.ok(campaign).build());
    }

    @PUT
    @Path("/{campaignId}/targets")
    @Operation(summary = "Replace a campaign's targets, all at once",
            description = "Body: {\"targets\": [{code, nameZh, nameEn, measure (projects | annualPlannedInvestment), "
                    + "categories (a project counts if it is in any; empty: every project), reachedStage "
                    + "(SIGNED | STARTED | COMPLETED | null), target}]}, in the order progress lists them.")
    public Uni<Targets> putTargets(@PathParam("campaignId") String campaignId, String body) {
        List<FieldViolation> violations = new ArrayList<>();
        CampaignDefinition.checkId(campaignId, violations);
        List<TargetDefinition> targets = TargetDefinition.readAll(parseObject(body), violations);
        return pool.query("SELECT code FROM categories").execute().flatMap(rows -> {
            Set<String> known = new HashSet<>();
            rows.forEach(row -> known.add(row.getString("code")));
            if (targets != null) {
                for (int i = 0; i < targets.size(); i++) {
                    if (targets.get(i) == null) {
                        continue;
                    }
                    List<String> categories = targets.get(i).categories();
                    for (int j = 0; j < categories.size(); j++) {
                        if (!known.contains(categories.get(j))) {
                            violations.add(new FieldViolation("targets[" + i + "].categories[" + j + "]",
                                    "unknown category '" + categories.get(j) + "'"));
                        }
                    }
                }
            }
            if (!violations.isEmpty()) {
                throw invalid("the targets have invalid fields", violations);
            }
            return pool.withTransaction(conn -> replace(conn, campaignId, targets));
        }).map(ignored -> new Targets(campaignId, targets));
    }

    private Uni<Void> replace(SqlConnection conn, String campaignId, List<TargetDefinition> targets) {
        // The campaign row lock serializes concurrent replacements of the same list.
        return conn.preparedQuery("SELECT 1 FROM campaigns WHERE campaign_id = $1 FOR UPDATE").execute(Tuple.of(campaignId))
                .flatMap(found -> {
                    if (found.size() == 0) {
                        throw Problem.of(ProblemType.UNKNOWN_CAMPAIGN, "no campaign '" + campaignId + "'").exception();
                    }
                    return conn.preparedQuery("DELETE FROM campaign_targets WHERE campaign_id = $1")
                            .execute(Tuple.of(campaignId));
                })
                .flatMap(deleted -> {
                    if (targets.isEmpty()) {
                        return Uni.createFrom().voidItem();
                    }
                    List<Tuple> rows = new ArrayList<>(targets.size());
                    for (int i = 0; i < targets.size(); i++) {
                        TargetDefinition t = targets.get(i);
                        rows.add(Tuple.from(new Object[]{campaignId, t.code(), t.nameZh(), t.nameEn(), t.measure(),
                                t.categories().isEmpty() ? null : t.categories().toArray(String[]::new),
                                t.reachedStage(), t.target(), i + 1}));
                    }
                    return conn.preparedQuery(INSERT_TARGET).executeBatch(rows).replaceWithVoid();
                });
    }

    private JsonNode parseObject(String body) {
        try {
            JsonNode json = strict.readTree(body);
            if (json == null || !json.isObject()) {
                throw invalid("the body must be a JSON object", List.of());
            }
            return json;
        } catch (JsonProcessingException e) {
            throw invalid("the body is not valid JSON: " + e.getOriginalMessage(), List.of());
        }
    }

    private static RuntimeException invalid(String detail, List<FieldViolation> violations) {
        return Problem.of(ProblemType.INVALID_REQUEST, detail, violations).exception();
    }
}
