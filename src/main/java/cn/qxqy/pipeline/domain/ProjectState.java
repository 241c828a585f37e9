package cn.qxqy.pipeline.domain;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;

/**
 * A project as its history so far makes it. {@link #UNKNOWN} stands for a project with no history.
 *
 * @param version number of events applied
 * @param stage null only for {@link #UNKNOWN}
 * @param signing set by the signing, unset when it is retracted
 * @param report the latest investment report
 */
public record ProjectState(long version, Stage stage, ProjectDetails details, Milestones milestones, Signing signing,
                           Report report) {

    public static final ProjectState UNKNOWN = new ProjectState(0, null, null, Milestones.NONE, Signing.NONE, Report.NONE);

    /** The date of each milestone reached and still in effect; null where none. */
    public record Milestones(LocalDate reservedOn, LocalDate signedOn, LocalDate startedOn, LocalDate completedOn,
                             LocalDate withdrawnOn) {

        public static final Milestones NONE = new Milestones(null, null, null, null, null);

        public Milestones withReservedOn(LocalDate date) {
            return new Milestones(date, signedOn, startedOn, completedOn, withdrawnOn);
        }

        public Milestones withSignedOn(LocalDate date) {
            return new Milestones(reservedOn, date, startedOn, completedOn, withdrawnOn);
        }

        public Milestones withStartedOn(LocalDate date) {
            return new Milestones(reservedOn, signedOn, date, completedOn, withdrawnOn);
        }

        public Milestones withCompletedOn(LocalDate date) {
            return new Milestones(reservedOn, signedOn, startedOn, date, withdrawnOn);
        }

        public Milestones withWithdrawnOn(LocalDate date) {
            return new Milestones(reservedOn, signedOn, startedOn, completedOn, date);
        }
    }

    /** 签约: the signed investment (万元) and the investor. */
    public record Signing(BigDecimal signedInvestment, String investor) {

        public static final Signing NONE = new Signing(null, null);
    }

    /** 累计完成投资: the latest period an investment report covered, and the figure reported for it (万元). */
    public record Report(YearMonth period, BigDecimal investmentToDate) {

        public static final Report NONE = new Report(null, null);
    }

    public ProjectState {
        milestones = milestones == null ? Milestones.NONE : milestones;
        signing = signing == null ? Signing.NONE : signing;
        report = report == null ? Report.NONE : report;
    }

    /** This state one event later, in {@code nextStage}; the rest as it was until a {@code with…} changes it. */
    public ProjectState next(Stage nextStage) {
        return new ProjectState(version + 1, nextStage, details, milestones, signing, report);
    }

    public ProjectState withDetails(ProjectDetails newDetails) {
        return new ProjectState(version, stage, newDetails, milestones, signing, report);
    }

    public ProjectState withMilestones(Milestones newMilestones) {
        return new ProjectState(version, stage, details, newMilestones, signing, report);
    }

    public ProjectState withSigning(Signing newSigning) {
        return new ProjectState(version, stage, details, milestones, newSigning, report);
    }

    public ProjectState withReport(Report newReport) {
        return new ProjectState(version, stage, details, milestones, signing, newReport);
    }

    public boolean isKnown() {
        return stage != null;
    }

    public boolean isActive() {
        return stage != null && stage != Stage.WITHDRAWN;
    }

    /** The date of the latest milestone still in effect; later milestones may not be dated before it. */
    public LocalDate lastMilestoneOn() {
        Milestones m = milestones;
        if (m.withdrawnOn() != null) {
            return m.withdrawnOn();
        }
        if (m.completedOn() != null) {
            return m.completedOn();
        }
        if (m.startedOn() != null) {
            return m.startedOn();
        }
        return m.signedOn() != null ? m.signedOn() : m.reservedOn();
    }
}
