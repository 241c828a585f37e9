package cn.qxqy.pipeline.domain;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

/**
 * What a project is, as reserved and later corrected. In a correction, a null field stays as it was.
 *
 * @param plannedInvestment total planned investment (总投资), 万元
 * @param annualPlannedInvestment this year's planned investment (年度计划投资), 万元, optional
 * @param zone development zone (开发区), optional
 * @param owner the building unit (建设单位), optional
 * @param projectCode national fixed-asset investment project code (项目代码), optional
 * @param plannedStartOn the day construction is planned to start (计划开工日期), optional, may lie ahead
 * @param plannedCompletionOn the day construction is planned to be completed (计划竣工日期), optional, may lie ahead
 */
public record ProjectDetails(
        String name,
        String campaignId,
        String regionCode,
        String industryChain,
        List<String> categories,
        BigDecimal plannedInvestment,
        BigDecimal annualPlannedInvestment,
        String zone,
        String owner,
        String projectCode,
        LocalDate plannedStartOn,
        LocalDate plannedCompletionOn) {

    // Built with every component, so that a new one cannot be left out of isEmpty unnoticed.
    private static final ProjectDetails NOTHING =
            new ProjectDetails(null, null, null, null, null, null, null, null, null, null, null, null);

    public ProjectDetails {
        categories = categories == null ? null : List.copyOf(categories);
    }

    /** Whether no field is given: a correction of nothing. */
    public boolean isEmpty() {
        return equals(NOTHING);
    }

    public ProjectDetails withCategories(List<String> newCategories) {
        return new ProjectDetails(name, campaignId, regionCode, industryChain, newCategories, plannedInvestment,
                annualPlannedInvestment, zone, owner, projectCode, plannedStartOn, plannedCompletionOn);
    }

    /** These details with every non-null field of the correction put in place. */
    public ProjectDetails correctedBy(ProjectDetails c) {
        return new ProjectDetails(
                c.name() != null ? c.name() : name,
                c.campaignId() != null ? c.campaignId() : campaignId,
                c.regionCode() != null ? c.regionCode() : regionCode,
                c.industryChain() != null ? c.industryChain() : industryChain,
                c.categories() != null ? c.categories() : categories,
                c.plannedInvestment() != null ? c.plannedInvestment() : plannedInvestment,
                c.annualPlannedInvestment() != null ? c.annualPlannedInvestment() : annualPlannedInvestment,
                c.zone() != null ? c.zone() : zone,
                c.owner() != null ? c.owner() : owner,
                c.projectCode() != null ? c.projectCode() : projectCode,
                c.plannedStartOn() != null ? c.plannedStartOn() : plannedStartOn,
                c.plannedCompletionOn() != null ? c.plannedCompletionOn() : plannedCompletionOn);
    }
}
