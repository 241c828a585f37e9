package cn.qxqy.pipeline.projection;

import cn.qxqy.pipeline.domain.DatedState;
import cn.qxqy.pipeline.domain.ProjectDetails;
import cn.qxqy.pipeline.domain.ProjectState;
import cn.qxqy.pipeline.domain.Stage;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Tuple;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class ProjectViewTest {

    /** The columns of {@code project_view} as V3__read_models.sql and V18 made them, in the order the statements list them. */
    private static final String VIEW_COLUMNS = "project_id, version, last_position, stage, name, campaign_id, "
            + "region_code, industry_chain, categories, planned_investment, annual_planned_investment, zone, owner, "
            + "project_code, planned_start_on, planned_completion_on, signed_investment, investor, reserved_on, signed_on, started_on, completed_on, "
            + "withdrawn_on, reported_period, investment_to_date";
    private static final String DATED_COLUMNS = ", reports, placements, reported_on, report_delay_max, first_unreported";

    private static final LocalDate DAY = LocalDate.of(2024, 3, 1);
    private static final LocalDate PLANNED_START = LocalDate.of(2024, 2, 15);
    private static final LocalDate PLANNED_COMPLETION = LocalDate.of(2026, 6, 30);

    private static final ProjectState STARTED = new ProjectState(5, Stage.STARTED,
            new ProjectDetails("兴县铝镁产业园", "2024-qxqy", "141123", "aluminium-magnesium",
                    List.of("chain-extension", "private-capital"), new BigDecimal("120000.50"), new BigDecimal("3000.00"),
                    "兴县经济开发区", "山西某铝业有限公司", "2024-141123-30-01-123456", PLANNED_START,
                    PLANNED_COMPLETION),
            new ProjectState.Milestones(DAY, DAY.plusDays(1), DAY.plusDays(2), null, null),
            new ProjectState.Signing(new BigDecimal("100000.00"), "投资方"),
            new ProjectState.Report(YearMonth.of(2024, 4), new BigDecimal("30000.25")));

    private static final ProjectState RESERVED = new ProjectState(1, Stage.RESERVED,
            new ProjectDetails("项目", "2024-qxqy", "141123", "chain", List.of(), BigDecimal.TEN, null, null, null, null,
                    null, null),
            new ProjectState.Milestones(DAY, null, null, null, null), null, null);

    @Test
    void aViewOfAStateGivesTheSameStateBack() {
        assertThat(List.of(STARTED, RESERVED)).allSatisfy(state ->
                assertThat(ProjectView.of("p-1", state).toState()).isEqualTo(state));
    }

    @Test
    void aViewHoldsEachFieldOfTheState() {
        assertThat(ProjectView.of("p-1", STARTED)).isEqualTo(new ProjectView("p-1", 5, Stage.STARTED, "兴县铝镁产业园",
                "2024-qxqy", "141123", "aluminium-magnesium", List.of("chain-extension", "private-capital"),
                new BigDecimal("120000.50"), new BigDecimal("3000.00"), "兴县经济开发区", "山西某铝业有限公司",
                "2024-141123-30-01-123456", PLANNED_START, PLANNED_COMPLETION, new BigDecimal("100000.00"), "投资方", DAY,
                DAY.plusDays(1), DAY.plusDays(2),
                null, null, YearMonth.of(2024, 4), new BigDecimal("30000.25")));
    }

    @Test
    void theStatementsNameTheColumnsOfTheViewTableInTheirOrder() {
        assertThat(ProjectView.COLUMNS).isEqualTo(VIEW_COLUMNS.replace("last_position, ", ""));
        assertThat(ProjectionTables.NEXT.insertViews)
                .startsWith("INSERT INTO project_view_next (" + VIEW_COLUMNS + DATED_COLUMNS + ") ")
                .endsWith(" AS v (" + VIEW_COLUMNS + DATED_COLUMNS + ")");
        assertThat(ProjectionTables.VIEW_TYPES).containsExactly("text", "bigint", "bigint", "text", "text", "text",
                "text", "text", "text[]", "numeric", "numeric", "text", "text", "text", "date", "date", "numeric", "text",
                "date", "date", "date", "date", "date", "text", "numeric", "jsonb", "jsonb", "jsonb", "integer", "date");
        assertThat(ProjectionTables.LIVE.updateView).startsWith("UPDATE project_view SET version = $2, "
                + "last_position = $3, stage = $4, name = $5, campaign_id = $6").endsWith(
                "reported_period = $24, investment_to_date = $25, reports = $26::text::jsonb, "
                + "placements = $27::text::jsonb, reported_on = $28::text::jsonb, report_delay_max = $29, first_unreported = $30, updated_at = now() WHERE project_id = $1");
    }

    @Test
    void aViewsValuesFollowTheColumnsWithTheCategoriesAsAnArrayAndThePeriodAsText() {
        Tuple values = ProjectView.of("p-1", STARTED).values(42);

        assertThat(IntStream.range(0, values.size()).mapToObj(values::getValue).toList()).containsExactly("p-1", 5L, 42L,
                "STARTED", "兴县铝镁产业园", "2024-qxqy", "141123", "aluminium-magnesium",
                new String[] {"chain-extension", "private-capital"}, new BigDecimal("120000.50"),
                new BigDecimal("3000.00"), "兴县经济开发区", "山西某铝业有限公司", "2024-141123-30-01-123456",
                PLANNED_START, PLANNED_COMPLETION, new BigDecimal("100000.00"), "投资方", DAY, DAY.plusDays(1), DAY.plusDays(2), null, null, "2024-04",
                new BigDecimal("30000.25"));
    }

    @Test
    void aViewRowCarriesTheReportsPerPeriodThePlacementsAndTheReportDaysAsJsonAndWhereReportingLags() {
        DatedState dated = new DatedState(STARTED, new TreeMap<>(Map.of(YearMonth.of(2024, 3), new BigDecimal("100"),
                YearMonth.of(2024, 4), new BigDecimal("30000.25"))), new TreeMap<>(Map.of(YearMonth.of(2024, 3),
                LocalDate.of(2024, 4, 8), YearMonth.of(2024, 4), LocalDate.of(2024, 5, 13))), List.of(
                new DatedState.Placement(null, "2024-qxqy", "141102"),
                new DatedState.Placement(DAY.plusDays(3), "2024-qxqy", "141123")));

        Tuple values = ProjectView.values("p-1", dated, 42);

        assertThat(values.size()).isEqualTo(ProjectionTables.VIEW_TYPES.size());
        assertThat(new JsonObject(values.getString(values.size() - 5)))
                .isEqualTo(new JsonObject().put("2024-03", "100").put("2024-04", "30000.25"));
        assertThat(new JsonArray(values.getString(values.size() - 4))).isEqualTo(new JsonArray()
                .add(new JsonObject().put("from", null).put("campaignId", "2024-qxqy").put("regionCode", "141102"))
                .add(new JsonObject().put("from", "2024-03-04").put("campaignId", "2024-qxqy").put("regionCode", "141123")));
        assertThat(new JsonObject(values.getString(values.size() - 3)))
                .isEqualTo(new JsonObject().put("2024-03", "2024-04-08").put("2024-04", "2024-05-13"));
        // Started 3 March: March reported on 8 April (7 days after the 1st), April on 13 May (12), May not yet.
        assertThat(values.getInteger(values.size() - 2)).isEqualTo(12);
        assertThat(values.getLocalDate(values.size() - 1)).isEqualTo(LocalDate.of(2024, 5, 1));
    }

    @Test
    void aProjectCompletedWithEveryMonthReportedHasNoMonthUnreportedAndOneNotStartedNoReportingAtAll() {
        ProjectState completed = STARTED.withMilestones(STARTED.milestones().withCompletedOn(LocalDate.of(2024, 4, 20)));
        TreeMap<YearMonth, LocalDate> reportedOn = new TreeMap<>(Map.of(YearMonth.of(2024, 3), LocalDate.of(2024, 3, 31),
                YearMonth.of(2024, 4), LocalDate.of(2024, 5, 1)));
        DatedState done = new DatedState(completed, new TreeMap<>(), reportedOn, List.of());
        DatedState notStarted = new DatedState(STARTED.withMilestones(STARTED.milestones().withStartedOn(null)),
                new TreeMap<>(), reportedOn, List.of());

        assertThat(ProjectView.reportDelayMax(done)).isZero();
        assertThat(ProjectView.firstUnreported(done)).isNull();
        assertThat(ProjectView.reportDelayMax(notStarted)).isNull();
        assertThat(ProjectView.firstUnreported(notStarted)).isNull();
    }
}
