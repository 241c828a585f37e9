package cn.qxqy.pipeline.domain;

import static cn.qxqy.pipeline.domain.Stage.COMPLETED;
import static cn.qxqy.pipeline.domain.Stage.RESERVED;
import static cn.qxqy.pipeline.domain.Stage.SIGNED;
import static cn.qxqy.pipeline.domain.Stage.STARTED;
import static cn.qxqy.pipeline.domain.Stage.WITHDRAWN;

import cn.qxqy.pipeline.domain.ProjectEvent.ConstructionStarted;
import cn.qxqy.pipeline.domain.ProjectEvent.InvestmentReported;
import cn.qxqy.pipeline.domain.ProjectEvent.MilestoneRetracted;
import cn.qxqy.pipeline.domain.ProjectEvent.ProjectCompleted;
import cn.qxqy.pipeline.domain.ProjectEvent.ProjectCorrected;
import cn.qxqy.pipeline.domain.ProjectEvent.ProjectReserved;
import cn.qxqy.pipeline.domain.ProjectEvent.ProjectSigned;
import cn.qxqy.pipeline.domain.ProjectEvent.ProjectWithdrawn;
import cn.qxqy.pipeline.domain.ProjectState.Milestones;
import cn.qxqy.pipeline.domain.ProjectState.Report;
import cn.qxqy.pipeline.domain.ProjectState.Signing;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A project's lifecycle (储备 → 签约 → 开工 → 竣工, or 退出) as two pure functions: {@link #decide} validates an
 * incoming event against the project's current state, {@link #apply} folds an accepted event into the state.
 *
 * <p>Lengths of text fields are counted in Unicode code points, so a name in Chinese may have 200 characters
 * whatever their encoding. A text is blank when nothing visible is left without white space and invisible characters
 * ({@link Text#isBlank}).
 *
 * <p>Dates are plausible: from {@link #EARLIEST} (no campaign this service follows began earlier; a milestone dated
 * 0000-01-01 or 1900-01-01 is a sender's placeholder or error, and would open a period of its own in every timeline) up
 * to today in Asia/Shanghai. Both bounds are rules of the domain, checked here for every channel; the reader only
 * makes sure a date has the form YYYY-MM-DD.
 */
public final class ProjectStateMachine {

    /** GB/T 40058-2021 project code; group 1 is the administrative code of the project's region. */
    private static final Pattern PROJECT_CODE = Pattern.compile("^\\d{4}-(\\d{6})-\\d{2}-\\d{2}-\\d{6}$");

    /** Amounts are stored as numeric(14,2): at most 12 integer digits. */
    private static final BigDecimal AMOUNT_LIMIT = BigDecimal.TEN.pow(12);

    /** The earliest date an event may carry (occurredOn) or report on (period). */
    public static final LocalDate EARLIEST = LocalDate.of(2000, 1, 1);

    /** Reference codes (campaign, region, industry chain, category): the longest in use has 40 characters. */
    private static final int MAX_CODE_LENGTH = 64;

    private ProjectStateMachine() {
    }

    /**
     * Accepts the event with the state it leads to, or rejects it.
     *
     * @param state the project's current state, {@link ProjectState#UNKNOWN} for a project with no history
     * @param today the current date in Asia/Shanghai
     */
    public static Decision decide(ProjectState state, ProjectEvent event, LocalDate today) {
        // Precedence: the event's own field rules, then the stage rules, then the rules against the state
        // (date order, code vs. region), which only mean something for a legal transition. All field
        // violations found are reported together.
        List<FieldViolation> violations = new ArrayList<>();
        checkFields(event, today, violations);
        Decision.Rejected refused = checkTransition(state, event);
        if (refused == null) {
            checkAgainstState(state, event, violations);
        }
        if (!violations.isEmpty()) {
            return new Decision.Rejected(Rejection.INVALID_FIELD,
                    Wording.of("event.invalid-fields", eventName(event), violations.size()), violations);
        }
        return refused != null ? refused : new Decision.Accepted(apply(state, event));
    }

    /** The state after the event, without any check: used to replay a history {@link #decide} accepted. */
    public static ProjectState apply(ProjectState s, ProjectEvent event) {
        Milestones m = s.milestones();
        if (event instanceof ProjectReserved e) {
            return new ProjectState(s.version() + 1, RESERVED, e.details(),
                    Milestones.NONE.withReservedOn(e.occurredOn()), Signing.NONE, Report.NONE);
        }
        if (event instanceof ProjectSigned e) {
            return s.next(SIGNED).withSigning(new Signing(e.signedInvestment(), e.investor()))
                    .withMilestones(m.withSignedOn(e.occurredOn()));
        }
        if (event instanceof ConstructionStarted e) {
            return s.next(STARTED).withMilestones(m.withStartedOn(e.occurredOn()));
        }
        if (event instanceof ProjectCompleted e) {
            return s.next(COMPLETED).withMilestones(m.withCompletedOn(e.occurredOn()));
        }
        if (event instanceof InvestmentReported e) {
            // The figure of the latest period counts; a later report for the same period replaces it.
            boolean counts = s.report().period() == null || !e.period().isBefore(s.report().period());
            return counts ? s.next(s.stage()).withReport(new Report(e.period(), e.investmentToDate())) : s.next(s.stage());
        }
        if (event instanceof ProjectCorrected e) {
            return s.next(s.stage()).withDetails(s.details().correctedBy(e.details()));
        }
        if (event instanceof MilestoneRetracted) {
            return retractLastMilestone(s);
        }
        if (event instanceof ProjectWithdrawn e) {
            return s.next(WITHDRAWN).withMilestones(m.withWithdrawnOn(e.occurredOn()));
        }
        // Only reachable if ProjectEvent gains a type this class does not know yet.
        throw new IllegalStateException("unhandled event type " + event.type());
    }

    /** Back to the stage before the last milestone, with what it set unset; reports and corrections stay. */
    private static ProjectState retractLastMilestone(ProjectState s) {
        Milestones m = s.milestones();
        return switch (s.stage()) {
            case SIGNED -> s.next(RESERVED).withSigning(Signing.NONE).withMilestones(m.withSignedOn(null));
            // A start goes back to the signing if there was one: government projects start unsigned.
            case STARTED -> s.next(m.signedOn() != null ? SIGNED : RESERVED).withMilestones(m.withStartedOn(null));
            case COMPLETED -> s.next(STARTED).withMilestones(m.withCompletedOn(null));
            default -> throw new IllegalStateException("no milestone to retract in stage " + s.stage());
        };
    }

    private static Decision.Rejected checkTransition(ProjectState state, ProjectEvent event) {
        if (!state.isKnown()) {
            return event instanceof ProjectReserved ? null : new Decision.Rejected(Rejection.UNKNOWN_PROJECT,
                    Wording.of("event.unknown-project", eventName(event)), List.of());
        }
        if (EventTypes.of(event).allowedFrom().contains(state.stage())) {
            return null;
        }
        Wording reason = event instanceof ProjectReserved
                ? Wording.of("event.project-exists", stageName(state.stage()))
                : Wording.of("event.not-allowed-in-stage", eventName(event), stageName(state.stage()));
        return new Decision.Rejected(Rejection.ILLEGAL_TRANSITION, reason, List.of());
    }

    /** The event type's name as the catalogue words it: its wire name in English. */
    private static Wording eventName(ProjectEvent event) {
        return Wording.of("event-type." + event.type());
    }

    /** The stage's name as the catalogue words it: its code in English. */
    private static Wording stageName(Stage stage) {
        return Wording.of("stage." + stage.name());
    }

    /** Rules that look at the event alone. */
    private static void checkFields(ProjectEvent event, LocalDate today, List<FieldViolation> v) {
        if (event.occurredOn() == null) {
            v.add(FieldViolation.of("occurredOn", "field.required"));
        } else if (event.occurredOn().isAfter(today)) {
            v.add(FieldViolation.of("occurredOn", "date.future"));
        } else if (event.occurredOn().isBefore(EARLIEST)) {
            v.add(FieldViolation.of("occurredOn", "date.before", EARLIEST));
        }
        if (event instanceof ProjectReserved e) {
            if (e.details() == null) {
                v.add(FieldViolation.of("data", "field.required"));
            } else {
                checkDetails(e.details(), true, v);
            }
        } else if (event instanceof ProjectSigned e) {
            amount("data.signedInvestment", e.signedInvestment(), true, false, v);
            text("data.investor", e.investor(), true, 200, v);
        } else if (event instanceof InvestmentReported e) {
            if (e.period() == null) {
                v.add(FieldViolation.of("data.period", "field.required"));
            } else if (e.period().isAfter(YearMonth.from(today))) {
                v.add(FieldViolation.of("data.period", "month.future"));
            } else if (e.period().isBefore(YearMonth.from(EARLIEST))) {
                v.add(FieldViolation.of("data.period", "month.before", YearMonth.from(EARLIEST)));
            }
            amount("data.investmentToDate", e.investmentToDate(), true, true, v);
        } else if (event instanceof ProjectCorrected e) {
            if (e.details() == null || e.details().isEmpty()) {
                v.add(FieldViolation.of("data", "event.correct-something"));
            } else {
                checkDetails(e.details(), false, v);
            }
        } else if (event instanceof MilestoneRetracted e) {
            text("data.reason", e.reason(), true, 500, v);
        } else if (event instanceof ProjectWithdrawn e) {
            text("data.reason", e.reason(), true, 500, v);
        }
        // ConstructionStarted and ProjectCompleted carry no data.
    }

    private static void checkDetails(ProjectDetails d, boolean reserving, List<FieldViolation> v) {
        text("data.name", d.name(), reserving, 200, v);
        text("data.campaignId", d.campaignId(), reserving, MAX_CODE_LENGTH, v);
        text("data.regionCode", d.regionCode(), reserving, MAX_CODE_LENGTH, v);
        text("data.industryChain", d.industryChain(), reserving, MAX_CODE_LENGTH, v);
        categories(d.categories(), v);
        amount("data.plannedInvestment", d.plannedInvestment(), reserving, false, v);
        amount("data.annualPlannedInvestment", d.annualPlannedInvestment(), false, false, v);
        text("data.zone", d.zone(), false, 100, v);
        text("data.owner", d.owner(), false, 200, v);
        if (d.projectCode() != null && !PROJECT_CODE.matcher(d.projectCode()).matches()) {
            v.add(FieldViolation.of("data.projectCode", "project-code.pattern", PROJECT_CODE.pattern()));
        }
        plannedDate("data.plannedStartOn", d.plannedStartOn(), v);
        plannedDate("data.plannedCompletionOn", d.plannedCompletionOn(), v);
    }

    /** A plan may lie years ahead, so only the lower bound of every date applies. */
    private static void plannedDate(String field, LocalDate day, List<FieldViolation> v) {
        if (day != null && day.isBefore(EARLIEST)) {
            v.add(FieldViolation.of(field, "date.before", EARLIEST));
        }
    }

    /** Rules that compare the event with the project's state; only checked for a legal transition. */
    private static void checkAgainstState(ProjectState state, ProjectEvent event, List<FieldViolation> v) {
        boolean milestone = event instanceof ProjectSigned || event instanceof ConstructionStarted
                || event instanceof ProjectCompleted || event instanceof ProjectWithdrawn;
        LocalDate last = state.lastMilestoneOn();
        if (milestone && event.occurredOn() != null && last != null && event.occurredOn().isBefore(last)) {
            v.add(FieldViolation.of("occurredOn", "date.before-milestone", last));
        }
        if (event instanceof ProjectReserved e && e.details() != null) {
            codeMatchesRegion(e.details(), "data.projectCode", v);
            plannedInOrder(e.details(), "data.plannedCompletionOn", v);
        } else if (event instanceof ProjectCorrected e && e.details() != null) {
            // The code and the region must agree once corrected, whichever of the two the correction changes.
            ProjectDetails corrected = state.details().correctedBy(e.details());
            if (e.details().projectCode() != null) {
                codeMatchesRegion(corrected, "data.projectCode", v);
            } else if (e.details().regionCode() != null) {
                codeMatchesRegion(corrected, "data.regionCode", v);
            }
            // Likewise the planned days: the field named is the one the correction sends.
            if (e.details().plannedCompletionOn() != null) {
                plannedInOrder(corrected, "data.plannedCompletionOn", v);
            } else if (e.details().plannedStartOn() != null) {
                plannedInOrder(corrected, "data.plannedStartOn", v);
            }
        }
    }

    private static void plannedInOrder(ProjectDetails d, String field, List<FieldViolation> v) {
        // A completion before EARLIEST is reported on its own: one violation per field.
        if (d.plannedStartOn() != null && d.plannedCompletionOn() != null
                && !d.plannedCompletionOn().isBefore(EARLIEST) && d.plannedCompletionOn().isBefore(d.plannedStartOn())) {
            v.add(FieldViolation.of(field, "planned.completion-before-start", d.plannedCompletionOn(),
                    d.plannedStartOn()));
        }
    }

    private static void codeMatchesRegion(ProjectDetails d, String field, List<FieldViolation> v) {
        if (d.projectCode() == null || d.regionCode() == null || d.regionCode().isBlank()) {
            return; // nothing to compare, or the missing region is reported on its own
        }
        Matcher code = PROJECT_CODE.matcher(d.projectCode());
        if (code.matches() && !code.group(1).equals(d.regionCode())) {
            v.add(FieldViolation.of(field, "project-code.region", code.group(1), d.regionCode()));
        }
    }

    private static void text(String field, String value, boolean required, int maxLength, List<FieldViolation> v) {
        Wording forbidden = value == null ? null : Text.whyForbidden(value);
        if (value == null) {
            if (required) {
                v.add(FieldViolation.of(field, "field.required"));
            }
        } else if (forbidden != null) {
            v.add(FieldViolation.of(field, forbidden));
        } else if (Text.isBlank(value)) {
            v.add(FieldViolation.of(field, "field.blank"));
        } else if (value.codePointCount(0, value.length()) > maxLength) {
            v.add(FieldViolation.of(field, "field.at-most-characters", maxLength));
        }
    }

    /** Amounts in 万元; at most one violation per field, the first rule broken. */
    private static void amount(String field, BigDecimal value, boolean required, boolean zeroAllowed,
            List<FieldViolation> v) {
        String broken = null; // the catalogue key of the first rule broken
        if (value == null) {
            broken = required ? "field.required" : null;
        } else if (zeroAllowed ? value.signum() < 0 : value.signum() <= 0) {
            broken = zeroAllowed ? "amount.negative" : "amount.not-positive";
        } else if (Math.max(0, value.stripTrailingZeros().scale()) > 2) {
            broken = "amount.fraction-digits";
        } else if (value.compareTo(AMOUNT_LIMIT) >= 0) {
            broken = "amount.integer-digits";
        }
        if (broken != null) {
            v.add(FieldViolation.of(field, broken));
        }
    }

    /** Absent from a correction means unchanged; a reservation always has a list (possibly empty). */
    private static void categories(List<String> categories, List<FieldViolation> v) {
        if (categories == null) {
            return;
        }
        Set<String> seen = new HashSet<>();
        for (String category : categories) {
            if (Text.isBlank(category)) {
                v.add(FieldViolation.of("data.categories", "categories.blank"));
                return;
            }
            if (category.length() > MAX_CODE_LENGTH) {
                v.add(FieldViolation.of("data.categories", "categories.too-long", MAX_CODE_LENGTH));
                return;
            }
            if (!seen.add(category.strip())) {
                v.add(FieldViolation.of("data.categories", "categories.duplicate", category.strip()));
                return;
            }
        }
    }
}
