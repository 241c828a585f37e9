package cn.qxqy.pipeline.query;

import cn.qxqy.pipeline.domain.FieldViolation;
import cn.qxqy.pipeline.domain.ProjectStateMachine;
import cn.qxqy.pipeline.domain.Wording;
import cn.qxqy.pipeline.problem.Problem;
import cn.qxqy.pipeline.problem.ProblemType;
import cn.qxqy.pipeline.spreadsheet.Tables;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
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

    /**
     * The query parameters; a malformed value, an {@code asOf} after today or before
     * {@link ProjectStateMachine#EARLIEST}, or a {@code knownAt} in the future or before that day began, is a 400
     * naming it.
     */
    public static TimeAxes of(String asOf, String knownAt, Clock clock) {
        List<FieldViolation> violations = new ArrayList<>();
        LocalDate day = null;
        Instant instant = null;
        if (asOf != null) {
            try {
                day = LocalDate.parse(asOf);
                if (day.isAfter(LocalDate.now(clock))) {
                    violations.add(FieldViolation.of("asOf", "date.future"));
                } else if (day.isBefore(ProjectStateMachine.EARLIEST)) {
                    // No event is dated earlier; nor can PostgreSQL take every year java.time can.
                    violations.add(FieldViolation.of("asOf", "date.before", ProjectStateMachine.EARLIEST));
                }
            } catch (DateTimeParseException e) {
                violations.add(FieldViolation.of("asOf", "json.date"));
            }
        }
        if (knownAt != null) {
            try {
                instant = OffsetDateTime.parse(knownAt).toInstant();
                Instant earliest = ProjectStateMachine.EARLIEST.atStartOfDay(clock.getZone()).toInstant();
                if (instant.isAfter(clock.instant())) {
                    violations.add(FieldViolation.of("knownAt", "date.future"));
                } else if (instant.isBefore(earliest)) {
                    violations.add(FieldViolation.of("knownAt", "date.before", earliest));
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

    /** A 400 naming {@code asOf} when it is before the campaign began: it had no figures then. */
    public void refuseBefore(LocalDate startsOn) {
        if (asOf != null && asOf.isBefore(startsOn)) {
            throw Problem.of(ProblemType.INVALID_QUERY, Wording.of("query.invalid"),
                    List.of(FieldViolation.of("asOf", "query.before-start", startsOn))).exception();
        }
    }

    /**
     * The day the dated read models are summed up to: {@code asOf}, or without it the last day of the current year,
     * by which every event stored counts (no event is dated after today, no report is for a later month). With a
     * {@code knownAt}, the current year is that instant's: the answer the service gave then, which 本年完成投资 of a
     * later year would not be.
     */
    public LocalDate day(Clock clock) {
        if (asOf != null) {
            return asOf;
        }
        LocalDate today = knownAt != null ? LocalDate.ofInstant(knownAt, clock.getZone()) : LocalDate.now(clock);
        return LocalDate.of(today.getYear(), 12, 31);
    }

    /**
     * Whether the answer can no longer change: a {@code knownAt} older than {@code settledAfter}, by which every
     * append that had begun before it has committed or failed.
     */
    public boolean settled(Clock clock, Duration settledAfter) {
        return knownAt != null && knownAt.isBefore(clock.instant().minus(settledAfter));
    }

    /**
     * What the tables of a file read on these axes are titled with, 数据截至: the end of asOf (or now, while that day
     * lasts), else knownAt, else now; with knownAt, also the instant the figures are as recorded by.
     */
    public Tables.Title title(String campaign, Clock clock) {
        ZonedDateTime now = ZonedDateTime.now(clock);
        ZonedDateTime recorded = knownAt == null ? null : knownAt.atZone(clock.getZone());
        ZonedDateTime end = asOf != null ? asOf.atTime(LocalTime.MAX).atZone(clock.getZone())
                : recorded != null ? recorded : now;
        return new Tables.Title(campaign, (end.isAfter(now) ? now : end).truncatedTo(ChronoUnit.SECONDS),
                asOf == null ? null : recorded);
    }
}
