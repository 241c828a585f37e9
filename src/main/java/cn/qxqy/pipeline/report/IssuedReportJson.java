package cn.qxqy.pipeline.report;

import com.fasterxml.jackson.databind.JsonNode;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;

/**
 * An issued report's JSON before {@link CanonicalJson} writes it: {@link IssuedReports} builds the document from this
 * record, so the fields it names are the fields served. The figures are the campaign reads as they were read; their
 * schema, amounts as strings, is {@link IssuedFigures}.
 *
 * @param campaign the campaign's Chinese name
 * @param revision 1 for the period's first issue, then 2, 3 … for each re-issue (修订)
 * @param asOf the period's last day: the business date the figures are read at
 * @param knownAt the instant the figures were read (the list's issuedAt)
 */
@Schema(additionalProperties = Schema.False.class, description = "An issued report's canonical JSON, byte for byte as issued: keys sorted, no white space, every "
        + "amount a string in plain notation with at least 2 decimals (unlike the live reads, where amounts are numbers), "
        + "counts and the revision integers")
public record IssuedReportJson(String campaignId, String campaign, YearMonth period, long revision, LocalDate asOf,
                               Instant knownAt, IssuedReport.Issuer issuedBy,
                               @Schema(implementation = IssuedFigures.class) JsonNode figures) {
}
