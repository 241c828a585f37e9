package cn.qxqy.pipeline.domain;

import java.time.LocalDate;
import java.time.YearMonth;

/** A fact on a campaign's own stream ({@link StreamKind#CAMPAIGN}), recorded by the service, never posted. */
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
}
