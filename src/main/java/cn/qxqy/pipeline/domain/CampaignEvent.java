package cn.qxqy.pipeline.domain;

import java.time.LocalDate;
import java.time.YearMonth;

/**
 * A fact the service records itself on a stream that is not a project's ({@link StreamKind#CAMPAIGN},
 * {@link StreamKind#FOLLOW_UP}), never posted by a department system.
 */
public sealed interface CampaignEvent extends StreamEvent {

    /**
     * 月报发布: the campaign's figures for {@code period}, frozen as the service answered them, exactly as issued.
     *
     * @param occurredOn the day
     * @param revision 1 for a period's first issue, 2, 3, … for each re-issue (修订); the earlier ones stay
     * @param asOf the period's last day: the business date the figures are read at
     * @param knownAt the instant the figures were read (RFC 3339, UTC): record time
     * @param issuedBy the subject (token subject or account name) who issued it
     * @param department the department it was issued for
     * @param digest SHA-256, lower-case hex, of the UTF-8 bytes of {@code report}
     * @param report the canonical JSON of the figures (keys sorted, amounts as strings, no insignificant white space)
     * @param workbook the .xlsx workbook's bytes as issued, base64
     */
    record MonthlyReportIssued(LocalDate occurredOn, YearMonth period, Long revision, LocalDate asOf, String knownAt,
                               String issuedBy, String department, String digest, String report, String workbook)
            implements CampaignEvent {
    }

    /**
     * 通报发布: the campaign's county rankings (排名) and follow-up items (督办) as of {@code period}'s last day, frozen as
     * the service answered them, exactly as issued; kept like {@link MonthlyReportIssued}.
     *
     * @param occurredOn the day
     * @param revision 1 for a period's first issue, 2, 3, … for each re-issue (修订); the earlier ones stay
     * @param asOf the period's last day: the business date the rankings and follow-ups are read at
     * @param knownAt the instant they were read (RFC 3339, UTC): record time
     * @param issuedBy the subject (token subject or account name) who issued it
     * @param department the department it was issued for
     * @param digest SHA-256, lower-case hex, of the UTF-8 bytes of {@code bulletin}
     * @param bulletin the canonical JSON of the rankings and follow-ups (keys sorted, amounts as strings)
     * @param workbook the .xlsx workbook's bytes as issued, base64
     */
    record BulletinIssued(LocalDate occurredOn, YearMonth period, Long revision, LocalDate asOf, String knownAt,
                          String issuedBy, String department, String digest, String bulletin, String workbook)
            implements CampaignEvent {
    }

    /**
     * 督办反馈: a county's answer to a follow-up item, on the item's own stream so that the project's version does not
     * move. The item stays on the list, answered, until {@code expectedOn} passes without its closing event; then it
     * is overdue again.
     *
     * @param occurredOn the answer's day (Asia/Shanghai)
     * @param itemId the item's id ({@link FollowUpItemId})
     * @param regionCode the county the item was on when answered
     * @param reason why the project stalled (情况说明)
     * @param expectedOn the day the county expects the closing event by (预计完成日期)
     * @param answeredBy the subject (token subject or account name) who answered
     * @param department the department it answered for
     */
    record FollowUpAnswered(LocalDate occurredOn, String itemId, String projectId, String rule, String regionCode,
                            String reason, LocalDate expectedOn, String answeredBy, String department)
            implements CampaignEvent {
    }
}
