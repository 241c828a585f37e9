package cn.qxqy.pipeline.domain;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;

/**
 * A project as its history so far makes it. {@link #UNKNOWN} stands for a project with no history.
 *
 * @param version number of events applied
 * @param stage null only for {@link #UNKNOWN}
 * @param signedInvestment set by the signing, unset when it is retracted
 * @param reportedPeriod the latest period an investment report covered
 * @param investmentToDate the figure reported for {@code reportedPeriod} (累计完成投资)
 */
public record ProjectState(
        long version,
        Stage stage,
        ProjectDetails details,
        BigDecimal signedInvestment,
        String investor,
        LocalDate reservedOn,
        LocalDate signedOn,
        LocalDate startedOn,
        LocalDate completedOn,
        LocalDate withdrawnOn,
        YearMonth reportedPeriod,
        BigDecimal investmentToDate) {

    public static final ProjectState UNKNOWN =
            new ProjectState(0, null, null, null, null, null, null, null, null, null, null, null);

    public boolean isKnown() {
        return stage != null;
    }

    public boolean isActive() {
        return stage != null && stage != Stage.WITHDRAWN;
    }

    /** The date of the latest milestone still in effect; later milestones may not be dated before it. */
    public LocalDate lastMilestoneOn() {
        if (withdrawnOn != null) {
            return withdrawnOn;
        }
        if (completedOn != null) {
            return completedOn;
        }
        if (startedOn != null) {
            return startedOn;
        }
        return signedOn != null ? signedOn : reservedOn;
    }
}
