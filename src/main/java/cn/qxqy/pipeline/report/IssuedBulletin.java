package cn.qxqy.pipeline.report;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.time.LocalDate;

/**
 * An issued 通报 as the list shows it: what it is, who issued it, and where its files are.
 *
 * @param revision 1 for the period's first issue; each re-issue (修订) the next, the earlier ones kept
 * @param asOf the period's last day: the day its rankings and follow-ups are read at
 * @param issuedAt the instant they were read (knownAt)
 * @param digest SHA-256 (hex) of its canonical JSON: the strong ETag of …/{period}/{revision}
 */
@Schema(description = "An issued bulletin (排名通报), exactly as issued")
public record IssuedBulletin(String campaignId, String period, long revision, LocalDate asOf, Instant issuedAt,
                             IssuedReport.Issuer issuedBy, String digest, Links links) {

    /** The bulletin's JSON as issued and its workbook as issued. */
    public record Links(String json, String xlsx) {

        static Links of(String campaignId, String period, long revision) {
            String base = "/api/v1/campaigns/" + campaignId + "/bulletins/" + period + "/" + revision;
            return new Links(base, base + ".xlsx");
        }
    }
}
