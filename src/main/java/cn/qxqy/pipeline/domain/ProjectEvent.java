package cn.qxqy.pipeline.domain;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;

/**
 * A fact in a project's lifecycle. {@code occurredOn} is the date the department gives for it
 * (Asia/Shanghai), not the date it reached us.
 */
public sealed interface ProjectEvent extends StreamEvent {

    /** An event that states a project's details: a reservation all of them, a correction those it changes. */
    sealed interface WithDetails extends ProjectEvent {

        ProjectDetails details();
    }

    /** 储备: the project enters the campaign's reserve. */
    record ProjectReserved(LocalDate occurredOn, ProjectDetails details) implements WithDetails {

        public ProjectReserved {
            // A reservation always has a list of categories, possibly empty.
            if (details != null && details.categories() == null) {
                details = details.withCategories(List.of());
            }
        }
    }

    /** 签约: an investor signs, for {@code signedInvestment} 万元. */
    record ProjectSigned(LocalDate occurredOn, BigDecimal signedInvestment, String investor) implements ProjectEvent {
    }

    /** 开工: construction starts. */
    record ConstructionStarted(LocalDate occurredOn) implements ProjectEvent {
    }

    /** 竣工: construction is completed. */
    record ProjectCompleted(LocalDate occurredOn) implements ProjectEvent {
    }

    /** 累计完成投资: investment completed up to the end of {@code period}, 万元. */
    record InvestmentReported(LocalDate occurredOn, YearMonth period, BigDecimal investmentToDate)
            implements ProjectEvent {
    }

    /** A correction of what the reservation (or an earlier correction) said: the details' null fields stay as they were. */
    record ProjectCorrected(LocalDate occurredOn, ProjectDetails details) implements WithDetails {
    }

    /** Undoes the last milestone, posted in error. */
    record MilestoneRetracted(LocalDate occurredOn, String reason) implements ProjectEvent {
    }

    /** 退出: the project leaves the campaign. */
    record ProjectWithdrawn(LocalDate occurredOn, String reason) implements ProjectEvent {
    }
}
