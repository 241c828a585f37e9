package cn.qxqy.pipeline.followup;

import cn.qxqy.pipeline.domain.FieldViolation;
import cn.qxqy.pipeline.domain.FollowUpRule;
import cn.qxqy.pipeline.domain.Wording;
import cn.qxqy.pipeline.problem.Problem;
import cn.qxqy.pipeline.problem.ProblemType;

import java.util.ArrayList;
import java.util.List;

/**
 * Which items a follow-up list shows: of a county (null: all), of a rule (null: all), the listed ones ({@code open}:
 * OPEN, ANSWERED, OVERDUE_AGAIN) or those closed late ({@code closed}), a page of them.
 */
public record FollowUpFilter(String regionCode, FollowUpRule rule, boolean closed, int limit, int offset) {

    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;
    public static final FollowUpFilter ALL = new FollowUpFilter(null, null, false, DEFAULT_LIMIT, 0);

    /** The query parameters; a 400 naming each malformed one. */
    public static FollowUpFilter of(String regionCode, String rule, String status, String limit, String offset) {
        List<FieldViolation> violations = new ArrayList<>();
        FollowUpRule ruleOf = null;
        if (rule != null) {
            ruleOf = FollowUpRule.ofCode(rule).orElse(null);
            if (ruleOf == null) {
                violations.add(FieldViolation.of("rule", "follow-up.rule"));
            }
        }
        if (status != null && !status.equals("open") && !status.equals("closed")) {
            violations.add(FieldViolation.of("status", "follow-up.status"));
        }
        int limitOf = number(limit, DEFAULT_LIMIT, 1, MAX_LIMIT, "limit", violations);
        int offsetOf = number(offset, 0, 0, Integer.MAX_VALUE, "offset", violations);
        if (!violations.isEmpty()) {
            throw Problem.of(ProblemType.INVALID_QUERY, Wording.of("query.invalid"), violations).exception();
        }
        return new FollowUpFilter(regionCode, ruleOf, "closed".equals(status), limitOf, offsetOf);
    }

    private static int number(String text, int otherwise, int min, int max, String field, List<FieldViolation> violations) {
        if (text == null) {
            return otherwise;
        }
        try {
            int value = Integer.parseInt(text);
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // refused below, like a number out of range
        }
        violations.add(FieldViolation.of(field, "follow-up.range", min, max));
        return otherwise;
    }
}
