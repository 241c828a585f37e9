package cn.qxqy.pipeline.domain;

import java.time.YearMonth;
import java.util.Optional;

/**
 * A follow-up item's stable id: {@code <projectId>:<rule>} for the two stage rules,
 * {@code <projectId>:report-missing:<YYYY-MM>} and {@code <projectId>:planned-date-passed:started|completed}. It names
 * the item whatever day it is read on, so that an answer given to it stays with it; its answers are the events of the
 * stream {@code follow-up:<id>} ({@link StreamKind#FOLLOW_UP}).
 *
 * @param qualifier null, the period {@code YYYY-MM}, or the planned milestone {@code started}/{@code completed}
 */
public record FollowUpItemId(String projectId, FollowUpRule rule, String qualifier) {

    public static final String STARTED = "started";
    public static final String COMPLETED = "completed";

    public static FollowUpItemId of(String projectId, FollowUpRule rule) {
        return new FollowUpItemId(projectId, rule, null);
    }

    public static FollowUpItemId reportMissing(String projectId, YearMonth period) {
        return new FollowUpItemId(projectId, FollowUpRule.REPORT_MISSING, period.toString());
    }

    public static FollowUpItemId plannedDatePassed(String projectId, String milestone) {
        return new FollowUpItemId(projectId, FollowUpRule.PLANNED_DATE_PASSED, milestone);
    }

    @Override
    public String toString() {
        return projectId + ":" + rule.code() + (qualifier == null ? "" : ":" + qualifier);
    }

    /** The id {@code text} spells, if it is one: a project id, a rule and the qualifier the rule asks for. */
    public static Optional<FollowUpItemId> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String[] parts = text.split(":", -1);
        if (parts.length < 2 || parts.length > 3 || !ProjectIds.isProjectId(parts[0])) {
            return Optional.empty();
        }
        Optional<FollowUpRule> rule = FollowUpRule.ofCode(parts[1]);
        if (rule.isEmpty()) {
            return Optional.empty();
        }
        String qualifier = parts.length == 3 ? parts[2] : null;
        boolean fits = switch (rule.get()) {
            case SIGNED_NOT_STARTED, RESERVED_NOT_SIGNED -> qualifier == null;
            case REPORT_MISSING -> qualifier != null && qualifier.matches("^\\d{4}-(0[1-9]|1[0-2])$");
            case PLANNED_DATE_PASSED -> STARTED.equals(qualifier) || COMPLETED.equals(qualifier);
        };
        return fits ? Optional.of(new FollowUpItemId(parts[0], rule.get(), qualifier)) : Optional.empty();
    }
}
