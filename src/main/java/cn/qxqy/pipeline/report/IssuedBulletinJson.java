package cn.qxqy.pipeline.report;

import com.fasterxml.jackson.databind.JsonNode;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;

/**
 * An issued 通报's JSON before {@link CanonicalJson} writes it: {@link Bulletins} builds the document from this record,
 * so the fields it names are the fields served. The rankings and follow-ups are the reads' answers as they were read.
 *
 * @param campaign the campaign's Chinese name
 * @param revision 1 for the period's first issue, then 2, 3 … for each re-issue (修订)
 * @param asOf the period's last day: the day the rankings and follow-ups are read at
 * @param knownAt the instant they were read (the list's issuedAt)
 */
@Schema(additionalProperties = Schema.False.class, description = "An issued bulletin's canonical JSON, byte for byte "
        + "as issued: keys sorted, no white space, every decimal (amounts, shares, rates, ratios, and the counts the "
        + "rankings carry as decimals) a string in plain notation with at least 2 decimals, whole numbers integers")
public record IssuedBulletinJson(String campaignId, String campaign, YearMonth period, long revision, LocalDate asOf,
                                 Instant knownAt, IssuedReport.Issuer issuedBy,
                                 @Schema(type = SchemaType.OBJECT, description = "the rankings read (Rankings) as of "
                                         + "asOf, decimals as strings") JsonNode rankings,
                                 @Schema(type = SchemaType.OBJECT, description = "the follow-up list (FollowUps) as of "
                                         + "asOf, every listed item, decimals as strings") JsonNode followUps) {
}
