package cn.qxqy.pipeline.testing.history;

import static cn.qxqy.pipeline.testing.history.ReferenceModel.CORRECTED;
import static cn.qxqy.pipeline.testing.history.ReferenceModel.REPORTED;
import static cn.qxqy.pipeline.testing.history.ReferenceModel.RETRACTED;
import static cn.qxqy.pipeline.testing.history.ReferenceModel.WITHDRAWN;
import static org.junit.jupiter.api.Assertions.fail;

import cn.qxqy.pipeline.testing.Api;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.assertj.core.api.SoftAssertions;

/**
 * A {@link RandomHistory} posted in rounds, with late arrivals of its own in each (reports for earlier periods, moves
 * between counties and campaigns dated before events already stored), and the instant after each round: the
 * {@code knownAt} values whose answers the test knows, since every event of a round had committed before it and none
 * of the next had begun. Draws the (asOf, knownAt) pairs to read the service at.
 *
 * <p>Seeded: {@code -DasOfHistory.seed=N} replays another history (the seed is printed).
 */
public final class AsOfHistory {

    public static final long DEFAULT_SEED = 20241231L;
    private static final int ROUNDS = 5;
    /** Generated events of a round: a batch (one request, so that posting stays quick) and single posts. */
    private static final int BATCH_PER_ROUND = 36;
    private static final int STEPS_PER_ROUND = 20;
    private static final int LATE_REPORTS_PER_ROUND = 4;
    private static final int LATE_MOVES_PER_ROUND = 3;
    /** Between an instant and the transactions on either side of it: the clocks are the same machine's. */
    private static final long CLOCK_MARGIN_MILLIS = 15;
    private static final LocalDate CAMPAIGN_START = LocalDate.of(2024, 1, 1);
    /** At most this many problems are listed when the test fails; all of them are counted. */
    private static final int PROBLEMS_SHOWN = 60;

    /** Axes of one read; a null field is a parameter left out. {@code known}: rounds posted by the instant. */
    public record Axes(LocalDate asOf, Integer known) {
    }

    public final RandomHistory random;
    private final Dice dice;
    /** knownAt[r]: the instant after r rounds; known[r]: how many events the service had stored by it. */
    private final List<Instant> knownAt = new ArrayList<>();
    private final List<Integer> known = new ArrayList<>();
    private final Set<String> movedLate = new HashSet<>();

    private AsOfHistory(RandomHistory random) {
        this.random = random;
        this.dice = new Dice(random.seed * 31 + 7);
    }

    /** A history for the test, with targets on both its campaigns; nothing posted yet. */
    public static AsOfHistory seeded(String testName) {
        AsOfHistory history = new AsOfHistory(RandomHistory.seeded(testName, "asOfHistory.seed", DEFAULT_SEED));
        List<Map<String, Object>> targets = AsOfFigures.TARGETS.stream().map(AsOfFigures.Target::definition).toList();
        for (String campaign : List.of(history.random.campaignA, history.random.campaignB)) {
            Api.admin().body(Map.of("targets", targets)).put("/api/v1/admin/campaigns/{id}/targets", campaign)
                    .then().statusCode(200);
        }
        return history;
    }

    /** Every round: generated events, then late arrivals; the instant before the first and after each. */
    public void post(SoftAssertions softly) {
        markInstant();
        for (int round = 0; round < ROUNDS; round++) {
            random.postBatch(BATCH_PER_ROUND, softly);
            for (int step = 0; step < STEPS_PER_ROUND; step++) {
                random.postNext(softly);
            }
            for (int i = 0; i < LATE_REPORTS_PER_ROUND; i++) {
                lateReport().ifPresent(e -> random.post(e, softly));
            }
            for (int i = 0; i < LATE_MOVES_PER_ROUND; i++) {
                lateMove().ifPresent(e -> random.post(e, softly));
            }
            markInstant();
        }
    }

    private void markInstant() {
        Rebuilds.sleep(CLOCK_MARGIN_MILLIS);
        knownAt.add(Instant.now());
        known.add(stored().size());
        Rebuilds.sleep(CLOCK_MARGIN_MILLIS);
    }

    /** The events the service accepted, in the order it stored them. */
    public List<HistoryEvent> stored() {
        return random.service.accepted;
    }

    public Instant instant(Axes axes) {
        return axes.known() == null ? null : knownAt.get(axes.known());
    }

    /** How many of {@link #stored()} count at the axes' instant (all of them without one). */
    public int knownEvents(Axes axes) {
        return axes.known() == null ? stored().size() : known.get(axes.known());
    }

    /** The day the figures are summed up to: asOf, or without it 31 December of the current year (every event). */
    public static LocalDate day(Axes axes) {
        return axes.asOf() != null ? axes.asOf() : LocalDate.of(Api.TODAY.getYear(), 12, 31);
    }

    /** Every project as the model says it stood at the axes. */
    public Map<String, AsOfModel.Dated> model(Axes axes) {
        return AsOfModel.asOf(stored(), knownEvents(axes), day(axes));
    }

    /** Every project of the whole history, in the order they were first stored. */
    public List<String> projectIds() {
        return stored().stream().map(e -> e.projectId).distinct().toList();
    }

    /** Some projects of the whole history, drawn anew at each call. */
    public List<String> someProjects(int count) {
        List<String> ids = new ArrayList<>(projectIds());
        Collections.shuffle(ids, dice);
        return ids.subList(0, Math.min(count, ids.size()));
    }

    /** Today's answer first, then random pairs, each axis now and then left out. */
    public List<Axes> pairs(int count) {
        List<Axes> pairs = new ArrayList<>();
        pairs.add(new Axes(null, null));
        while (pairs.size() < count + 1) {
            LocalDate asOf = dice.chance(0.15) ? null : asOf();
            Integer round = dice.chance(0.2) ? null : dice.nextInt(knownAt.size());
            pairs.add(new Axes(asOf, round));
        }
        return pairs;
    }

    /** A day from the campaign's start to today, mostly in its year, month ends and year ends now and then. */
    private LocalDate asOf() {
        return switch (dice.weighted("2024", 45, "month end", 20, "year end", 5, "later", 15, "start", 5, "today", 10)) {
            case "2024" -> CAMPAIGN_START.plusDays(dice.nextInt(366));
            case "month end" -> YearMonth.of(2024, 1 + dice.nextInt(12)).atEndOfMonth();
            case "year end" -> dice.chance(0.5) ? LocalDate.of(2024, 12, 31) : LocalDate.of(2025, 12, 31);
            case "later" -> LocalDate.of(2025, 1, 1).plusDays(dice.nextInt(
                    (int) (Api.TODAY.toEpochDay() - LocalDate.of(2025, 1, 1).toEpochDay()) + 1));
            case "start" -> CAMPAIGN_START;
            default -> Api.TODAY;
        };
    }

    /** A report stored late: for a period before the project's latest, or of the years around the campaign's. */
    private Optional<HistoryEvent> lateReport() {
        List<ModelProject> reporting = random.service.projects.values().stream()
                .filter(p -> "STARTED".equals(p.stage) || "COMPLETED".equals(p.stage)).toList();
        if (reporting.isEmpty()) {
            return Optional.empty();
        }
        ModelProject p = dice.of(reporting);
        YearMonth period = p.period != null && dice.chance(0.6)
                ? p.period.minusMonths(1 + dice.nextInt(4))
                : YearMonth.of(2023, 11).plusMonths(dice.nextInt(26));
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("period", period.toString());
        d.put("investmentToDate", BigDecimal.valueOf(dice.nextInt(5_000_000), 2));
        LocalDate on = period.plusMonths(1).atDay(1 + dice.nextInt(10));
        return Optional.of(HistoryEvent.of("late report", 201, p.id, REPORTED, on, d));
    }

    /**
     * A move stored late: to another county (a project without a code, whose code would have to change with it) or
     * to the other campaign, dated before the project's last milestone or between its reservation and that.
     */
    private Optional<HistoryEvent> lateMove() {
        List<ModelProject> active = random.service.projects.values().stream().filter(ModelProject::active).toList();
        if (active.isEmpty()) {
            return Optional.empty();
        }
        List<ModelProject> movedBefore = active.stream().filter(q -> movedLate.contains(q.id)).toList();
        // Now and then one moved already: several moves, dated in any order, are what the rule must sort out.
        ModelProject p = !movedBefore.isEmpty() && dice.chance(0.4) ? dice.of(movedBefore) : dice.of(active);
        movedLate.add(p.id);
        Map<String, Object> d = new LinkedHashMap<>();
        if (p.projectCode == null && dice.chance(0.6)) {
            String region;
            do {
                region = dice.of(Catalog.REGIONS);
            } while (region.equals(p.regionCode));
            d.put("regionCode", region);
        } else {
            d.put("campaignId", random.campaignA.equals(p.campaignId) ? random.campaignB : random.campaignA);
        }
        LocalDate last = p.lastMilestone();
        long span = last.toEpochDay() - p.reservedOn.toEpochDay();
        LocalDate on = span > 0 && dice.chance(0.5) ? p.reservedOn.plusDays(dice.nextInt((int) span))
                : last.minusDays(1 + dice.nextInt(60));
        return Optional.of(HistoryEvent.of("late move", 201, p.id, CORRECTED, on, d));
    }

    /**
     * The history must hold what the axes tell apart, or the comparison proves little: moves of both kinds, several
     * on one project, moves and reports stored after events dated later, reports over three years, retractions,
     * withdrawals, and projects changed in a later round than their reservation.
     */
    public void checkCoverage(SoftAssertions softly) {
        Map<String, Integer> seen = new HashMap<>();
        Map<String, ModelProject> state = new HashMap<>();
        Map<String, LocalDate> latestDated = new HashMap<>();
        Map<String, YearMonth> latestPeriod = new HashMap<>();
        Map<String, Integer> moves = new HashMap<>();
        Map<String, Integer> reservedInRound = new HashMap<>();
        Set<Integer> reportYears = new HashSet<>();
        List<HistoryEvent> events = stored();
        for (int i = 0; i < events.size(); i++) {
            HistoryEvent e = events.get(i);
            ModelProject before = state.get(e.projectId);
            ModelProject after = ReferenceModel.apply(before, e);
            state.put(e.projectId, after);
            int round = roundOf(i);
            reservedInRound.putIfAbsent(e.projectId, round);
            if (round > reservedInRound.get(e.projectId)) {
                seen.merge("changed in a later round", 1, Integer::sum);
            }
            LocalDate dated = latestDated.get(e.projectId);
            boolean late = dated != null && e.occurredOn.isBefore(dated);
            if (e.type.equals(CORRECTED) && before != null) {
                boolean county = !Objects.equals(before.regionCode, after.regionCode);
                boolean campaign = !Objects.equals(before.campaignId, after.campaignId);
                if (county || campaign) {
                    moves.merge(e.projectId, 1, Integer::sum);
                    seen.merge(county ? "move between counties" : "move between campaigns", 1, Integer::sum);
                    if (late) {
                        seen.merge("move dated before an event stored earlier", 1, Integer::sum);
                    }
                }
            }
            if (e.type.equals(REPORTED)) {
                YearMonth period = YearMonth.parse((String) e.data().get("period"));
                reportYears.add(period.getYear());
                YearMonth previous = latestPeriod.get(e.projectId);
                if (previous != null && period.isBefore(previous)) {
                    seen.merge("report for a period before one stored earlier", 1, Integer::sum);
                }
                latestPeriod.merge(e.projectId, period, (a, b) -> a.isAfter(b) ? a : b);
            }
            if (e.type.equals(RETRACTED)) {
                seen.merge("retraction", 1, Integer::sum);
            }
            if (e.type.equals(WITHDRAWN)) {
                seen.merge("withdrawal", 1, Integer::sum);
            }
            latestDated.merge(e.projectId, e.occurredOn, (a, b) -> a.isAfter(b) ? a : b);
        }
        seen.put("project moved twice or more", (int) moves.values().stream().filter(n -> n >= 2).count());
        String poor = "the generated history is too poor to prove much (try another seed): ";
        for (String what : List.of("changed in a later round", "move between counties", "move between campaigns",
                "move dated before an event stored earlier", "report for a period before one stored earlier",
                "retraction", "withdrawal", "project moved twice or more")) {
            softly.assertThat(seen.getOrDefault(what, 0)).as(poor + what).isGreaterThanOrEqualTo(3);
        }
        softly.assertThat(reportYears).as(poor + "the years reported").contains(2023, 2024, 2025);
    }

    /** The round that stored the i-th event (from 1). */
    private int roundOf(int index) {
        int round = 0;
        while (round < known.size() && known.get(round) <= index) {
            round++;
        }
        return round;
    }

    /** Prints what the history posted, with the seed, for a run's log. */
    public void report(List<String> log, SoftAssertions softly) {
        System.out.printf("AsOfHistory seed=%d: %d events posted, %d stored in %d rounds (%s), projects %d; %s; "
                        + "%d problem(s)%n", random.seed, random.postedCount(), stored().size(), ROUNDS, known,
                random.projectCount(), String.join("; ", log), softly.errorsCollected().size());
    }

    /** Fails with every problem found (the first ones listed) and the seed that replays them. */
    public void assertNoProblems(SoftAssertions softly) {
        List<Throwable> problems = softly.errorsCollected();
        if (!problems.isEmpty()) {
            fail(problems.size() + " problem(s) with seed " + random.seed + " (replay with -DasOfHistory.seed="
                    + random.seed + "):\n" + problems.stream().limit(PROBLEMS_SHOWN).map(Throwable::getMessage)
                    .collect(Collectors.joining("\n")));
        }
    }
}
