package cn.qxqy.pipeline.domain;

/**
 * A campaign's follow-up rules (督办规则); a null number or false turns its rule off.
 *
 * @param signedNotStartedDays {@link FollowUpRule#SIGNED_NOT_STARTED}'s N: an item is due N days after the signing
 * @param reservedNotSignedDays {@link FollowUpRule#RESERVED_NOT_SIGNED}'s M: due M days after the reservation
 * @param reportDueDay {@link FollowUpRule#REPORT_MISSING}'s day of the next month a month's report is due on, 1–28
 * @param plannedDates whether {@link FollowUpRule#PLANNED_DATE_PASSED} is on
 */
public record FollowUpSettings(Integer signedNotStartedDays, Integer reservedNotSignedDays, Integer reportDueDay,
                               boolean plannedDates) {

    public static final FollowUpSettings DEFAULTS = new FollowUpSettings(90, 180, 10, true);

    public boolean isOn(FollowUpRule rule) {
        return switch (rule) {
            case SIGNED_NOT_STARTED -> signedNotStartedDays != null;
            case RESERVED_NOT_SIGNED -> reservedNotSignedDays != null;
            case REPORT_MISSING -> reportDueDay != null;
            case PLANNED_DATE_PASSED -> plannedDates;
        };
    }
}
