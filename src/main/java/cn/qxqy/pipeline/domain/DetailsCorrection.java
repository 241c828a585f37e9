package cn.qxqy.pipeline.domain;

import java.math.BigDecimal;
import java.util.List;

/** The fields a {@link ProjectEvent.ProjectCorrected} replaces; null means "unchanged". */
public record DetailsCorrection(
        String name,
        String campaignId,
        String regionCode,
        String industryChain,
        List<String> categories,
        BigDecimal plannedInvestment,
        BigDecimal annualPlannedInvestment,
        String zone,
        String owner,
        String projectCode) {

    public DetailsCorrection {
        categories = categories == null ? null : List.copyOf(categories);
    }

    public boolean isEmpty() {
        return name == null && campaignId == null && regionCode == null && industryChain == null
                && categories == null && plannedInvestment == null && annualPlannedInvestment == null
                && zone == null && owner == null && projectCode == null;
    }
}
