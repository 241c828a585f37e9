package cn.qxqy.pipeline.projection;

import cn.qxqy.pipeline.domain.ProjectDetails;
import cn.qxqy.pipeline.domain.ProjectState;
import cn.qxqy.pipeline.domain.Stage;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.Arrays;
import java.util.List;

/** A project's current state as the read side shows it (table {@code project_view}). */
@Schema(name = "Project", description = "A project's current state, milestone dates and amounts (万元)")
public record ProjectView(
        String projectId,
        long version,
        Stage stage,
        String name,
        String campaignId,
        String regionCode,
        String industryChain,
        List<String> categories,
        BigDecimal plannedInvestment,
        @Schema(nullable = true) BigDecimal annualPlannedInvestment,
        @Schema(nullable = true) String zone,
        @Schema(nullable = true) String owner,
        @Schema(nullable = true) String projectCode,
        @Schema(nullable = true) BigDecimal signedInvestment,
        @Schema(nullable = true) String investor,
        LocalDate reservedOn,
        @Schema(nullable = true) LocalDate signedOn,
        @Schema(nullable = true) LocalDate startedOn,
        @Schema(nullable = true) LocalDate completedOn,
        @Schema(nullable = true) LocalDate withdrawnOn,
        @Schema(nullable = true) YearMonth reportedPeriod,
        @Schema(nullable = true) BigDecimal investmentToDate) {

    public static final String COLUMNS = "project_id, version, stage, name, campaign_id, region_code, industry_chain, "
            + "categories, planned_investment, annual_planned_investment, zone, owner, project_code, signed_investment, "
            + "investor, reserved_on, signed_on, started_on, completed_on, withdrawn_on, reported_period, investment_to_date";

    public static ProjectView of(String projectId, ProjectState s) {
        ProjectDetails d = s.details();
        ProjectState.Milestones m = s.milestones();
        return new ProjectView(projectId, s.version(), s.stage(), d.name(), d.campaignId(), d.regionCode(),
                d.industryChain(), d.categories(), d.plannedInvestment(), d.annualPlannedInvestment(), d.zone(),
                d.owner(), d.projectCode(), s.signing().signedInvestment(), s.signing().investor(), m.reservedOn(),
                m.signedOn(), m.startedOn(), m.completedOn(), m.withdrawnOn(), s.report().period(),
                s.report().investmentToDate());
    }

    public static ProjectView fromRow(Row row) {
        String period = row.getString("reported_period");
        return new ProjectView(row.getString("project_id"), row.getLong("version"), Stage.valueOf(row.getString("stage")),
                row.getString("name"), row.getString("campaign_id"), row.getString("region_code"),
                row.getString("industry_chain"), Arrays.asList(row.getArrayOfStrings("categories")),
                row.getBigDecimal("planned_investment"), row.getBigDecimal("annual_planned_investment"),
                row.getString("zone"), row.getString("owner"), row.getString("project_code"),
                row.getBigDecimal("signed_investment"), row.getString("investor"), row.getLocalDate("reserved_on"),
                row.getLocalDate("signed_on"), row.getLocalDate("started_on"), row.getLocalDate("completed_on"),
                row.getLocalDate("withdrawn_on"), period == null ? null : YearMonth.parse(period),
                row.getBigDecimal("investment_to_date"));
    }

    ProjectState toState() {
        return new ProjectState(version, stage, new ProjectDetails(name, campaignId, regionCode, industryChain, categories,
                plannedInvestment, annualPlannedInvestment, zone, owner, projectCode),
                new ProjectState.Milestones(reservedOn, signedOn, startedOn, completedOn, withdrawnOn),
                new ProjectState.Signing(signedInvestment, investor), new ProjectState.Report(reportedPeriod, investmentToDate));
    }

    Tuple values(long lastPosition) {
        return Tuple.from(Arrays.asList(projectId, version, lastPosition, stage.name(), name, campaignId, regionCode,
                industryChain, categories.toArray(String[]::new), plannedInvestment, annualPlannedInvestment, zone, owner,
                projectCode, signedInvestment, investor, reservedOn, signedOn, startedOn, completedOn, withdrawnOn,
                reportedPeriod == null ? null : reportedPeriod.toString(), investmentToDate));
    }
}
