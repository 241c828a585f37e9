package cn.qxqy.pipeline.report;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.time.LocalDate;

/**
 * An issued monthly report (月报) as the list shows it: what it is, who issued it, and where its files are.
 *
 * @param revision 1 for the period's first issue; each re-issue (修订) the next, the earlier ones kept
 * @param asOf the period's last day: the business date its figures are read at
 * @param issuedAt the instant its figures were read (knownAt)
 * @param digest SHA-256 (hex) of its canonical JSON: the strong ETag of …/{period}/{revision}
 */
@Schema(description = "An issued monthly report (月报), exactly as issued")
public record IssuedReport(String campaignId, String period, long revision, LocalDate asOf, Instant issuedAt,
                           Issuer issuedBy, String digest, Links links) {

    /** Who issued it: the token's subject (or the account's name) and the department it spoke for. */
    public record Issuer(String subject, String department) {
    }

    /** The report's JSON as issued, its workbook as issued, and its restatement against the figures known now. */
    public record Links(String json, String xlsx, String restatement) {

        static Links of(String campaignId, String period, long revision) {
            String base = "/api/v1/campaigns/" + campaignId + "/reports/" + period + "/" + revision;
            return new Links(base, base + ".xlsx", base + "/restatement");
        }
    }
}
