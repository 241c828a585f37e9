package cn.qxqy.pipeline.domain;

import java.util.Arrays;
import java.util.Optional;

/**
 * A rule that puts a stalled project on its county's follow-up list (督办), with the event that closes its item. Each
 * is evaluated on the read side as of a day from the project's dated state and the campaign's
 * {@link FollowUpSettings}; README "Follow-ups (督办)" states the arithmetic.
 */
public enum FollowUpRule {
    /** 签约未开工: signed, not started N days after the signing; closed by 开工 or withdrawal. */
    SIGNED_NOT_STARTED("signed-not-started", new EventTypes.Label("签约未开工", "Signed, not started")),
    /** 储备未签约: reserved, neither signed nor started M days after the reservation; closed by 签约, 开工 or withdrawal. */
    RESERVED_NOT_SIGNED("reserved-not-signed", new EventTypes.Label("储备未签约", "Reserved, not signed")),
    /** 投资未填报: started, no report for a month by its due day; closed by that month's report (late). */
    REPORT_MISSING("report-missing", new EventTypes.Label("投资未按期填报", "Investment report missing")),
    /** 计划节点逾期: a planned start or completion date passed; closed by that milestone. */
    PLANNED_DATE_PASSED("planned-date-passed", new EventTypes.Label("计划节点逾期", "Planned date passed"));

    private final String code;
    private final EventTypes.Label label;

    FollowUpRule(String code, EventTypes.Label label) {
        this.code = code;
        this.label = label;
    }

    /** The rule's name on the wire and in item ids. */
    public String code() {
        return code;
    }

    public EventTypes.Label label() {
        return label;
    }

    public static Optional<FollowUpRule> ofCode(String code) {
        return Arrays.stream(values()).filter(rule -> rule.code.equals(code)).findFirst();
    }
}
