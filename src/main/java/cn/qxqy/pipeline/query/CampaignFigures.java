package cn.qxqy.pipeline.query;

import cn.qxqy.pipeline.domain.Stage;
import cn.qxqy.pipeline.projection.FigureKey;
import cn.qxqy.pipeline.projection.Figures;
import cn.qxqy.pipeline.projection.FiguresTable;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The campaign read models the projector keeps: figures, progress groups and timeline, one query each read. */
@ApplicationScoped
class CampaignFigures {

    private static final String FIGURES = "SELECT key, " + String.join(", ", FiguresTable.COLUMNS)
            + " FROM campaign_figures WHERE campaign_id = $1 AND dimension = $2";

    /** A month's row of the timeline: projects that reached {@code milestone} in it, and the investment involved. */
    record TimelineRow(String month, Stage milestone, long projects, BigDecimal investment) {
    }

    private final Pool pool;

    CampaignFigures(Pool pool) {
        this.pool = pool;
    }

    /** The figures of each key of a dimension ({@link FigureKey#ALL} has the one key "*"); keys without projects are absent. */
    Uni<Map<String, Figures>> figures(String campaignId, String dimension) {
        return pool.preparedQuery(FIGURES).execute(Tuple.of(campaignId, dimension)).map(rows -> {
            Map<String, Figures> byKey = new HashMap<>();
            rows.forEach(row -> byKey.put(row.getString("key"), FiguresTable.fromRow(row)));
            return byKey;
        });
    }

    Uni<List<CampaignProgress.Group>> progressGroups(String campaignId) {
        return pool.preparedQuery(CampaignProgress.GROUPS).execute(Tuple.of(campaignId)).map(rows -> {
            List<CampaignProgress.Group> groups = new ArrayList<>();
            rows.forEach(row -> groups.add(CampaignProgress.Group.fromRow(row)));
            return groups;
        });
    }

    /** Month by month, the milestones that were reached; months and milestones where nothing happened are absent. */
    Uni<List<TimelineRow>> timeline(String campaignId) {
        return pool.preparedQuery("SELECT month, milestone, projects, investment FROM campaign_timeline "
                        + "WHERE campaign_id = $1 AND (projects <> 0 OR investment <> 0) ORDER BY month")
                .execute(Tuple.of(campaignId))
                .map(rows -> {
                    List<TimelineRow> timeline = new ArrayList<>();
                    for (Row row : rows) {
                        timeline.add(new TimelineRow(row.getString("month"), Stage.valueOf(row.getString("milestone")),
                                row.getLong("projects"), row.getBigDecimal("investment").setScale(2)));
                    }
                    return timeline;
                });
    }
}
