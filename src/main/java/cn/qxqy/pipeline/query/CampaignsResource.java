package cn.qxqy.pipeline.query;

import cn.qxqy.pipeline.domain.FieldViolation;
import cn.qxqy.pipeline.domain.Stage;
import cn.qxqy.pipeline.problem.Problem;
import cn.qxqy.pipeline.projection.FigureKey;
import cn.qxqy.pipeline.projection.Figures;
import cn.qxqy.pipeline.projection.FiguresTable;
import cn.qxqy.pipeline.reference.ReferenceData;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

@Path("/api/v1/campaigns")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Campaigns")
public class CampaignsResource {

    /** Breakdown dimensions: the figures' dimension and the reference table naming its keys. */
    private static final Map<String, String[]> BREAKDOWNS = Map.of(
            "region", new String[]{FigureKey.REGION, "regions"},
            "chain", new String[]{FigureKey.CHAIN, "industry_chains"},
            "category", new String[]{FigureKey.CATEGORY, "categories"});

    private static final String FIGURE_COLUMNS = FiguresTable.COLUMNS.stream().map(c -> "f." + c)
            .collect(Collectors.joining(", "));

    private final Pool pool;
    private final ReferenceData referenceData;
    private final ObjectMapper mapper;

    public CampaignsResource(Pool pool, ReferenceData referenceData, ObjectMapper mapper) {
        this.pool = pool;
        this.referenceData = referenceData;
        this.mapper = mapper;
    }

    @GET
    @Operation(summary = "All campaigns")
    public Uni<ArrayNode> list() {
        return pool.query("SELECT * FROM campaigns ORDER BY year DESC, campaign_id").execute()
                .flatMap(campaigns -> targets(null).map(targets -> {
                    ArrayNode list = mapper.createArrayNode();
                    campaigns.forEach(row -> list.add(campaign(row, targets)));
                    return list;
                }));
    }

    @GET
    @Path("/{campaignId}")
    @Operation(summary = "One campaign with its targets")
    public Uni<ObjectNode> get(@PathParam("campaignId") String campaignId) {
        return pool.preparedQuery("SELECT * FROM campaigns WHERE campaign_id = $1").execute(Tuple.of(campaignId))
                .flatMap(rows -> {
                    if (rows.size() == 0) {
                        return Uni.createFrom().failure(unknownCampaign(campaignId));
                    }
                    return targets(campaignId).map(targets -> campaign(rows.iterator().next(), targets));
                });
    }

    @GET
    @Path("/{campaignId}/summary")
    @Operation(summary = "Counts and investment totals of a campaign, per stage",
            description = "Totals are over active (not withdrawn) projects; amounts in 万元.")
    public Uni<ObjectNode> summary(@PathParam("campaignId") String campaignId) {
        return known(campaignId).flatMap(ignored -> pool.preparedQuery("SELECT " + FIGURE_COLUMNS
                                + " FROM campaign_figures f WHERE campaign_id = $1 AND dimension = $2")
                        .execute(Tuple.of(campaignId, FigureKey.ALL)))
                .map(rows -> {
                    ObjectNode summary = mapper.createObjectNode().put("campaignId", campaignId);
                    return write(summary, rows.size() == 0 ? Figures.ZERO : FiguresTable.fromRow(rows.iterator().next()));
                });
    }

    @GET
    @Path("/{campaignId}/breakdown")
    @Operation(summary = "The summary's figures per region, industry chain or category",
            description = "A project in two categories counts in both. Every reference entry is listed, with zeros where it has no project.")
    public Uni<ObjectNode> breakdown(@PathParam("campaignId") String campaignId, @QueryParam("by") String by) {
        String[] dimension = by == null ? null : BREAKDOWNS.get(by);
        if (dimension == null) {
            throw new Problem(null, "Invalid query", 400, "unknown breakdown",
                    List.of(new FieldViolation("by", "must be one of " + BREAKDOWNS.keySet())))
                    .exception();
        }
        return known(campaignId).flatMap(ignored -> pool.preparedQuery("SELECT r.code, r.name_zh, r.name_en, "
                                + FIGURE_COLUMNS + " FROM " + dimension[1] + " r LEFT JOIN campaign_figures f"
                                + " ON f.campaign_id = $1 AND f.dimension = $2 AND f.key = r.code ORDER BY r.sort")
                        .execute(Tuple.of(campaignId, dimension[0])))
                .map(rows -> {
                    ObjectNode breakdown = mapper.createObjectNode().put("campaignId", campaignId).put("by", by);
                    ArrayNode items = breakdown.putArray("items");
                    for (Row row : rows) {
                        ObjectNode item = items.addObject().put("key", row.getString("code"))
                                .put("name", row.getString("name_zh")).put("nameEn", row.getString("name_en"));
                        write(item, row.getValue("projects") == null ? Figures.ZERO : FiguresTable.fromRow(row));
                    }
                    return breakdown;
                });
    }

    @GET
    @Path("/{campaignId}/progress")
    @Operation(summary = "Each target of a campaign with its actual figure and percentage, and the rates in use",
            description = "Over active (not withdrawn) projects, from the same read models as the summary. A target "
                    + "counts the projects (or sums the annual planned investment, 万元) that are in any of its "
                    + "categories and have reached its stage; its percentage is actual / target × 100, rounded half up "
                    + "to 1 decimal. Each rate names its numerator and denominator; its percentage is null when the "
                    + "denominator is 0.")
    public Uni<ObjectNode> progress(@PathParam("campaignId") String campaignId) {
        return known(campaignId)
                .flatMap(ignored -> Uni.combine().all().unis(targets(campaignId),
                        pool.preparedQuery(CampaignProgress.GROUPS).execute(Tuple.of(campaignId))).asTuple())
                .map(results -> {
                    List<CampaignProgress.Group> groups = new ArrayList<>();
                    results.getItem2().forEach(row -> groups.add(CampaignProgress.Group.fromRow(row)));
                    return CampaignProgress.write(mapper, campaignId, results.getItem1(), groups);
                });
    }

    @GET
    @Path("/{campaignId}/timeline")
    @Operation(summary = "Milestones per month of their date",
            description = "Per month (by occurredOn, not arrival): projects reserved, signed, started, completed and "
                    + "withdrawn, with the investment involved (signed investment for signings, planned investment "
                    + "otherwise), over projects still active; a retraction removes what it undid. 万元.")
    public Uni<ObjectNode> timeline(@PathParam("campaignId") String campaignId,
                                    @QueryParam("granularity") @DefaultValue("month") String granularity) {
        if (!"month".equals(granularity)) {
            throw new Problem(null, "Invalid query", 400, "unknown granularity",
                    List.of(new FieldViolation("granularity", "must be month"))).exception();
        }
        return known(campaignId)
                .flatMap(ignored -> pool.preparedQuery("SELECT month, milestone, projects, investment FROM "
                                + "campaign_timeline WHERE campaign_id = $1 AND (projects <> 0 OR investment <> 0) ORDER BY month")
                        .execute(Tuple.of(campaignId)))
                .map(rows -> {
                    ObjectNode timeline = mapper.createObjectNode().put("campaignId", campaignId)
                            .put("granularity", granularity);
                    ArrayNode periods = timeline.putArray("periods");
                    ObjectNode period = null;
                    for (Row row : rows) {
                        String month = row.getString("month");
                        if (period == null || !month.equals(period.get("period").asText())) {
                            period = periods.addObject().put("period", month);
                            for (Stage milestone : Stage.values()) {
                                period.putObject(milestone.name()).put("projects", 0)
                                        .put("investment", BigDecimal.ZERO.setScale(2));
                            }
                        }
                        ((ObjectNode) period.get(row.getString("milestone")))
                                .put("projects", row.getLong("projects"))
                                .put("investment", row.getBigDecimal("investment").setScale(2));
                    }
                    return timeline;
                });
    }

    private Uni<Void> known(String campaignId) {
        return referenceData.isCampaign(campaignId).flatMap(known -> known
                ? Uni.createFrom().voidItem()
                : Uni.createFrom().failure(unknownCampaign(campaignId)));
    }

    private ObjectNode write(ObjectNode target, Figures f) {
        target.put("projects", f.projects())
                .put("withdrawn", f.withdrawn())
                .put("plannedInvestment", f.plannedInvestment())
                .put("annualPlannedInvestment", f.annualPlannedInvestment())
                .put("signedInvestment", f.signedInvestment())
                .put("investmentToDate", f.investmentToDate());
        ObjectNode stages = target.putObject("stages");
        f.stagesByName().forEach((stage, s) -> stages.putObject(stage)
                .put("current", s.current())
                .put("reached", s.reached())
                .put("plannedInvestment", s.plannedInvestment()));
        return target;
    }

    private Uni<RowSet<Row>> targets(String campaignId) {
        return campaignId == null
                ? pool.query("SELECT * FROM campaign_targets ORDER BY campaign_id, sort").execute()
                : pool.preparedQuery("SELECT * FROM campaign_targets WHERE campaign_id = $1 ORDER BY sort")
                .execute(Tuple.of(campaignId));
    }

    private ObjectNode campaign(Row row, RowSet<Row> targets) {
        String campaignId = row.getString("campaign_id");
        ObjectNode campaign = mapper.createObjectNode()
                .put("campaignId", campaignId)
                .put("nameZh", row.getString("name_zh"))
                .put("nameEn", row.getString("name_en"))
                .put("year", row.getInteger("year"))
                .put("cityCode", row.getString("city_code"))
                .put("launchedOn", row.getLocalDate("launched_on") == null ? null : row.getLocalDate("launched_on").toString());
        ArrayNode list = campaign.putArray("targets");
        for (Row t : targets) {
            if (t.getString("campaign_id").equals(campaignId)) {
                ObjectNode target = list.addObject()
                        .put("code", t.getString("code"))
                        .put("nameZh", t.getString("name_zh"))
                        .put("nameEn", t.getString("name_en"))
                        .put("measure", t.getString("measure"))
                        .put("reachedStage", t.getString("reached_stage"))
                        .put("target", t.getBigDecimal("target"));
                String[] categories = t.getArrayOfStrings("categories");
                ArrayNode c = target.putArray("categories");
                if (categories != null) {
                    for (String category : categories) {
                        c.add(category);
                    }
                }
            }
        }
        return campaign;
    }

    private static RuntimeException unknownCampaign(String campaignId) {
        return Problem.of(404, "Unknown campaign", "no campaign '" + campaignId + "'").exception();
    }
}
