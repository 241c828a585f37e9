package cn.qxqy.pipeline.query;

import cn.qxqy.pipeline.domain.FieldViolation;
import cn.qxqy.pipeline.domain.Stage;
import cn.qxqy.pipeline.problem.Problem;
import cn.qxqy.pipeline.problem.ProblemType;
import cn.qxqy.pipeline.projection.FigureKey;
import cn.qxqy.pipeline.projection.Figures;
import cn.qxqy.pipeline.projection.FiguresTable;
import cn.qxqy.pipeline.reference.ReferenceData;
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

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
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

    public CampaignsResource(Pool pool, ReferenceData referenceData) {
        this.pool = pool;
        this.referenceData = referenceData;
    }

    @GET
    @Operation(summary = "All campaigns")
    public Uni<List<CampaignResponses.Campaign>> list() {
        return pool.query("SELECT * FROM campaigns ORDER BY year DESC, campaign_id").execute()
                .flatMap(campaigns -> targets(null).map(targets -> {
                    List<CampaignResponses.Campaign> list = new ArrayList<>();
                    campaigns.forEach(row -> list.add(campaign(row, targets)));
                    return list;
                }));
    }

    @GET
    @Path("/{campaignId}")
    @Operation(summary = "One campaign with its targets")
    public Uni<CampaignResponses.Campaign> get(@PathParam("campaignId") String campaignId) {
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
    public Uni<CampaignResponses.Summary> summary(@PathParam("campaignId") String campaignId) {
        return known(campaignId).flatMap(ignored -> pool.preparedQuery("SELECT " + FIGURE_COLUMNS
                                + " FROM campaign_figures f WHERE campaign_id = $1 AND dimension = $2")
                        .execute(Tuple.of(campaignId, FigureKey.ALL)))
                .map(rows -> CampaignResponses.Summary.of(campaignId,
                        rows.size() == 0 ? Figures.ZERO : FiguresTable.fromRow(rows.iterator().next())));
    }

    @GET
    @Path("/{campaignId}/breakdown")
    @Operation(summary = "The summary's figures per region, industry chain or category",
            description = "A project in two categories counts in both. Every reference entry is listed, with zeros where it has no project.")
    public Uni<CampaignResponses.Breakdown> breakdown(@PathParam("campaignId") String campaignId, @QueryParam("by") String by) {
        String[] dimension = by == null ? null : BREAKDOWNS.get(by);
        if (dimension == null) {
            throw Problem.of(ProblemType.INVALID_QUERY, "unknown breakdown",
                    List.of(new FieldViolation("by", "must be one of " + BREAKDOWNS.keySet())))
                    .exception();
        }
        return known(campaignId).flatMap(ignored -> pool.preparedQuery("SELECT r.code, r.name_zh, r.name_en, "
                                + FIGURE_COLUMNS + " FROM " + dimension[1] + " r LEFT JOIN campaign_figures f"
                                + " ON f.campaign_id = $1 AND f.dimension = $2 AND f.key = r.code ORDER BY r.sort")
                        .execute(Tuple.of(campaignId, dimension[0])))
                .map(rows -> {
                    List<CampaignResponses.BreakdownItem> items = new ArrayList<>();
                    for (Row row : rows) {
                        items.add(CampaignResponses.BreakdownItem.of(row.getString("code"), row.getString("name_zh"),
                                row.getString("name_en"),
                                row.getValue("projects") == null ? Figures.ZERO : FiguresTable.fromRow(row)));
                    }
                    return new CampaignResponses.Breakdown(campaignId, by, items);
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
    public Uni<CampaignResponses.Progress> progress(@PathParam("campaignId") String campaignId) {
        return known(campaignId)
                .flatMap(ignored -> Uni.combine().all().unis(targets(campaignId),
                        pool.preparedQuery(CampaignProgress.GROUPS).execute(Tuple.of(campaignId))).asTuple())
                .map(results -> {
                    List<CampaignProgress.Group> groups = new ArrayList<>();
                    results.getItem2().forEach(row -> groups.add(CampaignProgress.Group.fromRow(row)));
                    return CampaignProgress.of(campaignId, results.getItem1(), groups);
                });
    }

    @GET
    @Path("/{campaignId}/timeline")
    @Operation(summary = "Milestones per month of their date",
            description = "Per month (by occurredOn, not arrival): projects reserved, signed, started, completed and "
                    + "withdrawn, with the investment involved (signed investment for signings, planned investment "
                    + "otherwise), over projects still active; a retraction removes what it undid. 万元.")
    public Uni<CampaignResponses.Timeline> timeline(@PathParam("campaignId") String campaignId,
                                    @QueryParam("granularity") @DefaultValue("month") String granularity) {
        if (!"month".equals(granularity)) {
            throw Problem.of(ProblemType.INVALID_QUERY, "unknown granularity",
                    List.of(new FieldViolation("granularity", "must be month"))).exception();
        }
        return known(campaignId)
                .flatMap(ignored -> pool.preparedQuery("SELECT month, milestone, projects, investment FROM "
                                + "campaign_timeline WHERE campaign_id = $1 AND (projects <> 0 OR investment <> 0) ORDER BY month")
                        .execute(Tuple.of(campaignId)))
                .map(rows -> {
                    // Rows come month by month; each month lists every milestone, 0 where none was reached.
                    Map<String, Map<Stage, CampaignResponses.Milestones>> months = new LinkedHashMap<>();
                    for (Row row : rows) {
                        months.computeIfAbsent(row.getString("month"), month -> new EnumMap<>(Stage.class))
                                .put(Stage.valueOf(row.getString("milestone")), new CampaignResponses.Milestones(
                                        row.getLong("projects"), row.getBigDecimal("investment").setScale(2)));
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

    private Uni<RowSet<Row>> targets(String campaignId) {
        return campaignId == null
                ? pool.query("SELECT * FROM campaign_targets ORDER BY campaign_id, sort").execute()
                : pool.preparedQuery("SELECT * FROM campaign_targets WHERE campaign_id = $1 ORDER BY sort")
                .execute(Tuple.of(campaignId));
    }

    private static CampaignResponses.Campaign campaign(Row row, RowSet<Row> targets) {
        String campaignId = row.getString("campaign_id");
        List<CampaignResponses.Target> list = new ArrayList<>();
        for (Row t : targets) {
            if (t.getString("campaign_id").equals(campaignId)) {
                String[] categories = t.getArrayOfStrings("categories");
                list.add(new CampaignResponses.Target(t.getString("code"), t.getString("name_zh"), t.getString("name_en"),
                        t.getString("measure"), t.getString("reached_stage"), t.getBigDecimal("target"),
                        categories == null ? List.of() : List.of(categories)));
            }
        }
        return new CampaignResponses.Campaign(campaignId, row.getString("name_zh"), row.getString("name_en"),
                row.getInteger("year"), row.getString("city_code"), row.getLocalDate("launched_on"), list);
    }

    private static RuntimeException unknownCampaign(String campaignId) {
        return Problem.of(ProblemType.UNKNOWN_CAMPAIGN, "no campaign '" + campaignId + "'").exception();
    }
}
