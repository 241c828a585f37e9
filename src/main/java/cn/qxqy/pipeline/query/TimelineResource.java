package cn.qxqy.pipeline.query;

import cn.qxqy.pipeline.domain.FieldViolation;
import cn.qxqy.pipeline.domain.Stage;
import cn.qxqy.pipeline.problem.Problem;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
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
import java.util.List;

@Path("/api/v1/campaigns")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Campaigns")
public class TimelineResource {

    private final Pool pool;
    private final ObjectMapper mapper;

    public TimelineResource(Pool pool, ObjectMapper mapper) {
        this.pool = pool;
        this.mapper = mapper;
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
        return pool.preparedQuery("SELECT 1 FROM campaigns WHERE campaign_id = $1").execute(Tuple.of(campaignId))
                .flatMap(known -> {
                    if (known.size() == 0) {
                        throw Problem.of(404, "Unknown campaign", "no campaign '" + campaignId + "'").exception();
                    }
                    return pool.preparedQuery("SELECT month, milestone, projects, investment FROM campaign_timeline "
                                    + "WHERE campaign_id = $1 AND (projects <> 0 OR investment <> 0) ORDER BY month")
                            .execute(Tuple.of(campaignId));
                })
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
}
