package cn.qxqy.pipeline.query;

import cn.qxqy.pipeline.domain.FieldViolation;
import cn.qxqy.pipeline.domain.Wording;
import cn.qxqy.pipeline.problem.Problem;
import cn.qxqy.pipeline.problem.ProblemType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * The two time axes of a campaign read. {@code asOf} is the business date (截至日期): each project as its history says
 * it stood at the end of that day in Asia/Shanghai ({@link cn.qxqy.pipeline.domain.DatedState}). {@code knownAt} is
 * record time: only events whose transaction had committed at that instant count, "what the service would have
 * answered then". Either, both or neither; neither is today's answer.
 */
@Schema(name = "TimeAxes", description = "The business date (asOf) and the record time (knownAt) a read answers for; null: not restricted")
public record TimeAxes(@Schema(nullable = true) LocalDate asOf, @Schema(nullable = true) Instant knownAt) {

    public static final TimeAxes NOW = new TimeAxes(null, null);

    /** The query parameters; a malformed value, an {@code asOf} after today or a future {@code knownAt} is a 400 naming it. */
    public static TimeAxes of(String asOf, String knownAt, Clock clock) {
        List<FieldViolation> violations = new ArrayList<>();
        LocalDate day = null;
        Instant instant = null;
        if (asOf != null) {
            try {
                day = LocalDate.parse(asOf);
                if (day.isAfter(LocalDate.now(clock))) {
                    violations.add(FieldViolation.of("asOf", "date.future"));
                }
            } catch (DateTimeParseException e) {
                violations.add(FieldViolation.of("asOf", "json.date"));
            }
        }
        if (knownAt != null) {
            try {
                instant = OffsetDateTime.parse(knownAt).toInstant();
                if (instant.isAfter(clock.instant())) {
                    violations.add(FieldViolation.of("knownAt", "date.future"));
                }
            } catch (DateTimeParseException e) {
                violations.add(FieldViolation.of("knownAt", "query.instant"));
            }
        }
        if (!violations.isEmpty()) {
            throw Problem.of(ProblemType.INVALID_QUERY, Wording.of("query.invalid"), violations).exception();
        }
        return new TimeAxes(day, instant);
    }

    /**
     * The day the dated read models are summed up to: {@code asOf}, or without it the last day of the current year,
     * by which every event stored counts (no event is dated after today, no report is for a later month).
     */
    public LocalDate day(Clock clock) {
        return asOf != null ? asOf : LocalDate.of(LocalDate.now(clock).getYear(), 12, 31);
    }
}
