package cn.qxqy.pipeline.report;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;

/**
 * An issued report against the same business date as known now: every figure that differs.
 *
 * @param readAt the instant the figures of now were read
 * @param changes each figure whose value now is not the issued one, in the order of the report's JSON
 */
@Schema(description = "The figures of an issued report that differ from the same asOf read now (重述)")
public record Restatement(IssuedReport report, Instant readAt, List<Change> changes) {

    /**
     * @param path where the figure is in the report's JSON, e.g. {@code /figures/breakdowns/region/141123/projects}:
     *             array items by their key, code or period
     * @param issued its value as issued (a count, or an amount in plain notation), null when absent then
     * @param now its value now, null when absent now
     * @param difference now minus issued, when both are numbers
     */
    public record Change(String path, @Schema(nullable = true) String issued, @Schema(nullable = true) String now,
                         @Schema(nullable = true) String difference) {
    }
}
