package cn.qxqy.pipeline.query;

import cn.qxqy.pipeline.domain.Stage;
import cn.qxqy.pipeline.domain.Wording;
import cn.qxqy.pipeline.problem.Problem;
import cn.qxqy.pipeline.problem.ProblemType;
import cn.qxqy.pipeline.projection.FigureKey;
import cn.qxqy.pipeline.projection.Figures;
import cn.qxqy.pipeline.projection.FiguresTable;
import cn.qxqy.pipeline.projection.ProjectionStatuses;
import cn.qxqy.pipeline.projection.ReadModelGeneration;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The campaign read models the projector keeps: figures, progress groups and timeline, one query each read, as they
 * stood at the end of a day (the rows dated up to it, summed).
 */
@ApplicationScoped
class CampaignFigures {

    /** The rows of each key up to the day, summed: each row is a change from its day on. */
    private static final String FIGURES = "SELECT key, " + FiguresTable.COLUMNS.stream()
            .map(column -> "sum(" + column + ") AS " + column).collect(Collectors.joining(", "))
            + " FROM campaign_figures WHERE campaign_id = $1 AND dimension = $2 AND effective_on <= $3 GROUP BY key";

    /** A month's row of the timeline: projects that reached {@code milestone} in it, and the investment involved. */
    record TimelineRow(String month, Stage milestone, long projects, BigDecimal investment) {
    }

    private final Pool pool;
    private final ProjectionStatuses statuses;

    CampaignFigures(Pool pool, ProjectionStatuses statuses) {
        this.pool = pool;
        this.statuses = statuses;
    }

    /** The read models' generation ({@link ReadModelGeneration}): unchanged across reads, they saw one state. */
    Uni<Long> generation() {
        return pool.query(ReadModelGeneration.CURRENT).execute().map(rows -> rows.iterator().next().getLong("generation"));
    }

    /** The rows as of a day, unless they wait for a required rebuild: then a 503, not figures that read as zeros. */
    private Uni<RowSet<Row>> read(String sql, Tuple parameters) {
        return statuses.rebuildRequired().flatMap(required -> {
            if (required) {
                throw Problem.of(ProblemType.NOT_YET_PROJECTED, Wording.of("query.rebuild-required")).exception();
            }
            return pool.preparedQuery(sql).execute(parameters);
        });
    }

    /**
     * The figures of each key of a dimension ({@link FigureKey#ALL} has the one key "*") at the end of {@code day};
     * keys without projects then are absent.
     */
    Uni<Map<String, Figures>> figures(String campaignId, String dimension, LocalDate day) {
        return read(FIGURES, Tuple.of(campaignId, dimension, day)).map(rows -> {
            Map<String, Figures> byKey = new HashMap<>();
            rows.forEach(row -> {
                Figures figures = FiguresTable.fromRow(row);
                if (!figures.isZero()) {
                    byKey.put(row.getString("key"), figures);
                }
            });
            return byKey;
        });
    }

    Uni<List<CampaignProgress.Group>> progressGroups(String campaignId, LocalDate day) {
        return read(CampaignProgress.GROUPS, Tuple.of(campaignId, day)).map(rows -> {
            List<CampaignProgress.Group> groups = new ArrayList<>();
            rows.forEach(row -> groups.add(CampaignProgress.Group.fromRow(row)));
            return groups;
        });
    }

    /** The progress groups of each county (region code) of the campaign as of the day; counties without any absent. */
    Uni<Map<String, List<CampaignProgress.Group>>> countyGroups(String campaignId, LocalDate day) {
        return read(CampaignProgress.COUNTY_GROUPS, Tuple.of(campaignId, day)).map(rows -> {
            Map<String, List<CampaignProgress.Group>> byCounty = new HashMap<>();
            rows.forEach(row -> byCounty.computeIfAbsent(row.getString("region_code"), county -> new ArrayList<>())
                    .add(CampaignProgress.Group.fromRow(row)));
            return byCounty;
        });
    }

    /**
     * Month by month, the milestones that were reached as the projects stood at the end of {@code day}; months and
     * milestones where nothing happened are absent.
     */
    Uni<List<TimelineRow>> timeline(String campaignId, LocalDate day) {
        return read("SELECT month, milestone, sum(projects) AS projects, sum(investment) AS investment "
                        + "FROM campaign_timeline WHERE campaign_id = $1 AND effective_on <= $2 GROUP BY month, milestone "
                        + "HAVING sum(projects) <> 0 OR sum(investment) <> 0 ORDER BY month", Tuple.of(campaignId, day))
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
