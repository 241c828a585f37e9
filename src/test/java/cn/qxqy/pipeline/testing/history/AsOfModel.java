package cn.qxqy.pipeline.testing.history;

import static cn.qxqy.pipeline.testing.history.ReferenceModel.CORRECTED;
import static cn.qxqy.pipeline.testing.history.ReferenceModel.REPORTED;
import static cn.qxqy.pipeline.testing.history.ReferenceModel.nz;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Issue 25's two time axes, written again from the words apart from the service's {@code DatedState}: every
 * project as its history says it stood at the end of a day, counting only the events the service had stored by an
 * instant. Pure: it reads the accepted events in the order the service stored them, and folds them with
 * {@link ReferenceModel} for what holds at every date (corrections, retractions), then dates the rest itself.
 */
public final class AsOfModel {

    /** One project as of the day: the view's fields, and its 本年完成投资 (万元, a missing report counting 0). */
    public record Dated(ModelProject project, BigDecimal investmentThisYear) {
    }

    /** A move: the county or campaign a project counts in from {@code from} on. */
    private record Move(LocalDate from, String to) {
    }

    private AsOfModel() {
    }

    /**
     * Every project that existed at the end of {@code day}, as it stood then, by id in the order they were reserved,
     * counting only the first {@code known} events of {@code stored} (the events the service had stored by the
     * instant asked for, in the order it stored them).
     */
    public static Map<String, Dated> asOf(List<HistoryEvent> stored, int known, LocalDate day) {
        Map<String, List<HistoryEvent>> byProject = new LinkedHashMap<>();
        for (HistoryEvent e : stored.subList(0, known)) {
            byProject.computeIfAbsent(e.projectId, id -> new ArrayList<>()).add(e);
        }
        Map<String, Dated> projects = new LinkedHashMap<>();
        byProject.forEach((id, history) -> {
            Dated dated = project(history, day);
            if (dated != null) {
                projects.put(id, dated);
            }
        });
        return projects;
    }

    /** The project at the end of {@code day}; null when it was reserved later. */
    static Dated project(List<HistoryEvent> history, LocalDate day) {
        // Corrections and retractions hold at every date: the fold of the whole history has them all.
        ModelProject now = null;
        List<Move> counties = new ArrayList<>();
        List<Move> campaigns = new ArrayList<>();
        for (HistoryEvent e : history) {
            ModelProject before = now;
            now = ReferenceModel.apply(before, e);
            if (before == null) {
                counties.add(new Move(null, now.regionCode));
                campaigns.add(new Move(null, now.campaignId));
            } else if (e.type.equals(CORRECTED)) {
                if (!Objects.equals(before.regionCode, now.regionCode)) {
                    counties.add(new Move(e.occurredOn, now.regionCode));
                }
                if (!Objects.equals(before.campaignId, now.campaignId)) {
                    campaigns.add(new Move(e.occurredOn, now.campaignId));
                }
            }
        }
        if (now == null || now.reservedOn.isAfter(day)) {
            return null;
        }
        ModelProject then = now.copy();
        // A milestone (and a withdrawal) counts from its date; the retracted ones are gone from the fold already.
        then.signedOn = onOrBefore(now.signedOn, day);
        then.startedOn = onOrBefore(now.startedOn, day);
        then.completedOn = onOrBefore(now.completedOn, day);
        then.withdrawnOn = onOrBefore(now.withdrawnOn, day);
        then.stage = then.withdrawnOn != null ? "WITHDRAWN" : then.completedOn != null ? "COMPLETED"
                : then.startedOn != null ? "STARTED" : then.signedOn != null ? "SIGNED" : "RESERVED";
        if (then.signedOn == null) {
            then.signedInvestment = null;
            then.investor = null;
        }
        // A move counts from its own date (before it, the project counts where it was): of the county and of the
        // campaign each, the last move in history order among those dated by the day.
        then.regionCode = where(counties, day);
        then.campaignId = where(campaigns, day);
        HistoryEvent report = latestReport(history, day);
        then.period = report == null ? null : YearMonth.parse((String) report.data().get("period"));
        then.investmentToDate = report == null ? null : ReferenceModel.dec(report.data().get("investmentToDate"));
        HistoryEvent yearBefore = latestReport(history, LocalDate.of(day.getYear() - 1, 12, 31));
        BigDecimal atYearStart = yearBefore == null ? null : ReferenceModel.dec(yearBefore.data().get("investmentToDate"));
        return new Dated(then, nz(then.investmentToDate).subtract(nz(atYearStart)));
    }

    private static String where(List<Move> moves, LocalDate day) {
        String where = null;
        for (Move m : moves) {
            if (m.from() == null || !m.from().isAfter(day)) {
                where = m.to();
            }
        }
        return where;
    }

    /** The report of the latest period ended by the day; of that period, the one stored last. */
    private static HistoryEvent latestReport(List<HistoryEvent> history, LocalDate day) {
        HistoryEvent latest = null;
        YearMonth latestPeriod = null;
        for (HistoryEvent e : history) {
            if (!e.type.equals(REPORTED)) {
                continue;
            }
            YearMonth period = YearMonth.parse((String) e.data().get("period"));
            if (!period.atEndOfMonth().isAfter(day) && (latestPeriod == null || !period.isBefore(latestPeriod))) {
                latest = e;
                latestPeriod = period;
            }
        }
        return latest;
    }

    private static LocalDate onOrBefore(LocalDate date, LocalDate day) {
        return date != null && !date.isAfter(day) ? date : null;
    }
}
