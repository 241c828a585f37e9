package cn.qxqy.pipeline.domain;

import cn.qxqy.pipeline.domain.ProjectEvent.InvestmentReported;
import cn.qxqy.pipeline.domain.ProjectEvent.ProjectCorrected;
import cn.qxqy.pipeline.domain.ProjectEvent.ProjectReserved;
import cn.qxqy.pipeline.domain.ProjectState.Milestones;
import cn.qxqy.pipeline.domain.ProjectState.Report;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * A project's history folded so that it can be read as it stood on any day (时点): its state now, the last report
 * received for each period, and where it counted since each move between counties or campaigns.
 * <p>
 * As of a day, each event type counts by its {@link EventTypes.AsOfRule}: a milestone from its {@code occurredOn}, a
 * report from its period's last day, a retraction and a correction at every date (the milestone never happened, the
 * details were always the corrected ones), but a correction that moves the project to another county or campaign
 * from its own {@code occurredOn}.
 *
 * @param current the state now, as {@link ProjectStateMachine#apply} folds the history
 * @param reports 累计完成投资 per period, the last report of each period replacing the ones before it
 * @param reportedOn the {@code occurredOn} of each period's first report: the day the period was reported (填报日期),
 *                   which closes its follow-up item ({@link FollowUpRule#REPORT_MISSING})
 * @param placements the reservation's county and campaign (from null: always), then one per move, in history order,
 *                   naming only what it moved
 */
public record DatedState(ProjectState current, SortedMap<YearMonth, BigDecimal> reports,
                         SortedMap<YearMonth, LocalDate> reportedOn, List<Placement> placements) {

    public static final DatedState UNKNOWN = new DatedState(ProjectState.UNKNOWN, Collections.emptySortedMap(),
            Collections.emptySortedMap(), List.of());

    /**
     * Where a project counts from {@code from} on; null {@code from} for the reservation's place. A move names only
     * what it changes (the other null): a move to another county dated September and a move to another campaign dated
     * April, whatever order they came in, leave the project in its first county and the new campaign in May.
     */
    public record Placement(LocalDate from, String campaignId, String regionCode) {
    }

    /**
     * A project as it stood at the end of a day.
     *
     * @param state {@link ProjectState#UNKNOWN} when it was not yet reserved
     * @param investmentThisYear 本年完成投资, 万元: the latest report on or before the day less the latest on or before
     *                           31 December of the year before; zero without reports
     */
    public record AsOf(ProjectState state, BigDecimal investmentThisYear) {
    }

    private static final BigDecimal NONE = BigDecimal.ZERO.setScale(2);

    public DatedState {
        reports = Collections.unmodifiableSortedMap(new TreeMap<>(reports));
        reportedOn = Collections.unmodifiableSortedMap(new TreeMap<>(reportedOn));
        placements = List.copyOf(placements);
    }

    /** The history folded from its start. */
    public static DatedState of(List<? extends ProjectEvent> history) {
        DatedState state = UNKNOWN;
        for (ProjectEvent event : history) {
            state = state.next(event);
        }
        return state;
    }

    /** This state one event later. */
    public DatedState next(ProjectEvent event) {
        ProjectState after = ProjectStateMachine.apply(current, event);
        if (event instanceof ProjectReserved) {
            return new DatedState(after, Collections.emptySortedMap(), Collections.emptySortedMap(),
                    List.of(new Placement(null, after.details().campaignId(), after.details().regionCode())));
        }
        if (event instanceof InvestmentReported e) {
            SortedMap<YearMonth, BigDecimal> newReports = new TreeMap<>(reports);
            newReports.put(e.period(), e.investmentToDate());
            SortedMap<YearMonth, LocalDate> newReportedOn = new TreeMap<>(reportedOn);
            newReportedOn.putIfAbsent(e.period(), e.occurredOn());
            return new DatedState(after, newReports, newReportedOn, placements);
        }
        if (event instanceof ProjectCorrected) {
            String campaign = changed(current.details().campaignId(), after.details().campaignId());
            String region = changed(current.details().regionCode(), after.details().regionCode());
            if (campaign != null || region != null) {
                List<Placement> newPlacements = new ArrayList<>(placements);
                newPlacements.add(new Placement(event.occurredOn(), campaign, region));
                return new DatedState(after, reports, reportedOn, newPlacements);
            }
        }
        return new DatedState(after, reports, reportedOn, placements);
    }

    private static String changed(String before, String after) {
        return before.equals(after) ? null : after;
    }

    /** The project at the end of {@code day}. */
    public AsOf asOf(LocalDate day) {
        Milestones m = current.milestones();
        if (!current.isKnown() || m.reservedOn().isAfter(day)) {
            return new AsOf(ProjectState.UNKNOWN, NONE);
        }
        Milestones then = new Milestones(m.reservedOn(), onOrBefore(m.signedOn(), day), onOrBefore(m.startedOn(), day),
                onOrBefore(m.completedOn(), day), onOrBefore(m.withdrawnOn(), day));
        Stage stage = then.withdrawnOn() != null ? Stage.WITHDRAWN
                : then.completedOn() != null ? Stage.COMPLETED
                : then.startedOn() != null ? Stage.STARTED
                : then.signedOn() != null ? Stage.SIGNED
                : Stage.RESERVED;
        ProjectDetails details = current.details().correctedBy(new ProjectDetails(null,
                placedOn(day, Placement::campaignId), placedOn(day, Placement::regionCode), null, null, null, null, null,
                null, null, null, null));
        ProjectState state = new ProjectState(current.version(), stage, details, then,
                then.signedOn() != null ? current.signing() : ProjectState.Signing.NONE, reportOn(day));
        return new AsOf(state, investmentThisYear(day));
    }

    /** 本年完成投资 at the end of {@code day}; see {@link AsOf}. */
    public BigDecimal investmentThisYear(LocalDate day) {
        BigDecimal now = orNone(reportOn(day).investmentToDate());
        BigDecimal yearBefore = orNone(reportOn(LocalDate.of(day.getYear() - 1, 12, 31)).investmentToDate());
        return now.subtract(yearBefore);
    }

    /**
     * The days on which {@link #asOf} may answer differently from the day before: between two of them, and after
     * the last, it answers the same. The first is the reservation's date; empty for an unknown project.
     */
    public SortedSet<LocalDate> changeDates() {
        SortedSet<LocalDate> dates = new TreeSet<>();
        if (!current.isKnown()) {
            return dates;
        }
        Milestones m = current.milestones();
        LocalDate reservedOn = m.reservedOn();
        dates.add(reservedOn);
        for (LocalDate date : new LocalDate[]{m.signedOn(), m.startedOn(), m.completedOn(), m.withdrawnOn()}) {
            if (date != null) {
                dates.add(date);
            }
        }
        for (YearMonth period : reports.keySet()) {
            LocalDate end = period.atEndOfMonth();
            dates.add(end);
            // The year's figure starts again from the report of 31 December.
            dates.add(LocalDate.of(end.getYear() + 1, 1, 1));
        }
        for (Placement place : placements) {
            if (place.from() != null) {
                dates.add(place.from());
            }
        }
        dates.removeIf(date -> date.isBefore(reservedOn));
        return dates;
    }

    /** Where the project counted at the end of {@code day}: its campaign and county then ({@code from} null). */
    public Placement placedOn(LocalDate day) {
        return new Placement(null, placedOn(day, Placement::campaignId), placedOn(day, Placement::regionCode));
    }

    /** The county or campaign of the last placement in history order that had begun by {@code day} and names it. */
    private String placedOn(LocalDate day, Function<Placement, String> part) {
        String found = null;
        for (Placement place : placements) {
            if ((place.from() == null || !place.from().isAfter(day)) && part.apply(place) != null) {
                found = part.apply(place);
            }
        }
        return found;
    }

    /** The report of the latest period that had ended by {@code day}. */
    private Report reportOn(LocalDate day) {
        SortedMap<YearMonth, BigDecimal> ended = reports.headMap(YearMonth.from(day).plusMonths(1));
        if (!ended.isEmpty() && ended.lastKey().atEndOfMonth().isAfter(day)) {
            ended = ended.headMap(ended.lastKey());
        }
        return ended.isEmpty() ? Report.NONE : new Report(ended.lastKey(), ended.get(ended.lastKey()));
    }

    private static LocalDate onOrBefore(LocalDate date, LocalDate day) {
        return date != null && !date.isAfter(day) ? date : null;
    }

    private static BigDecimal orNone(BigDecimal amount) {
        return Objects.requireNonNullElse(amount, NONE);
    }
}
