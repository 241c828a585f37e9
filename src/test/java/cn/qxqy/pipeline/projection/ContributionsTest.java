package cn.qxqy.pipeline.projection;

import cn.qxqy.pipeline.domain.DatedState;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.function.BinaryOperator;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * What a change of a project adds to aggregate rows: after − before, unchanged rows left out, so that the rows a
 * project counts in after are its rows before plus the delta, for the figures, the timeline and the progress groups
 * alike, each row dated from the day it takes effect. The laws are checked on pairs of states of generated projects,
 * not only consecutive ones.
 */
class ContributionsTest {

    private static final long SEED = 20241207L;
    private static final int PAIRS = 5_000;

    @Test
    void aDeltaIsAfterLessBeforeWithTheUnchangedRowsLeftOut() {
        Map<String, Long> before = Map.of("region 141102", 1L, "all", 3L, "category private-capital", 2L);
        Map<String, Long> after = Map.of("region 141123", 1L, "all", 3L, "category private-capital", 1L);

        SortedMap<String, Long> delta = Contributions.delta(before, after, Long::sum, v -> -v, v -> v == 0);

        assertThat(delta).containsExactly(Map.entry("category private-capital", -1L), Map.entry("region 141102", -1L),
                Map.entry("region 141123", 1L));
    }

    @Test
    void addingAContributionSumsItIntoTheRowsItNamesAndLeavesTheOthers() {
        Map<String, Long> totals = new HashMap<>(Map.of("all", 3L, "region 141102", 2L));

        Contributions.add(totals, Map.of("all", -1L, "region 141123", 1L), Long::sum);

        assertThat(totals).containsOnly(Map.entry("all", 2L), Map.entry("region 141102", 2L),
                Map.entry("region 141123", 1L));
    }

    @Test
    void theRowsAfterAreTheRowsBeforePlusTheDeltaForEveryPairOfStates() {
        List<DatedState> states = states();
        Random random = new Random(SEED);
        for (int i = 0; i < PAIRS; i++) {
            DatedState before = states.get(random.nextInt(states.size()));
            DatedState after = states.get(random.nextInt(states.size()));
            Supplier<String> pair = () -> before + " -> " + after;

            assertLaw(pair, before, after, Figures::dated, Figures::delta, Figures::plus, Figures::isZero);
            assertLaw(pair, before, after, Timeline::dated, Timeline::delta, Timeline.Entry::plus,
                    Timeline.Entry::isZero);
            assertLaw(pair, before, after, ProgressGroups::dated, ProgressGroups::delta,
                    ProgressGroups.Entry::plus, ProgressGroups.Entry::isZero);
        }
    }

    @Test
    void aProjectsDatedRowsUpToAnyDaySumToWhatItCountedForAsItStoodThatDay() {
        List<DatedState> states = states();
        Random random = new Random(SEED);
        for (int i = 0; i < PAIRS; i++) {
            DatedState project = states.get(random.nextInt(states.size()));
            LocalDate day = LocalDate.of(2023, 1, 1).plusDays(random.nextInt(3 * 365));
            Supplier<String> where = () -> project + " as of " + day;

            assertSummedUpTo(where, day, Figures.dated(project), Figures.contribution(project.asOf(day)),
                    Figures::plus, Figures::isZero);
            assertSummedUpTo(where, day, Timeline.dated(project), Timeline.contribution(project.asOf(day).state()),
                    Timeline.Entry::plus, Timeline.Entry::isZero);
            assertSummedUpTo(where, day, ProgressGroups.dated(project), ProgressGroups.contribution(project.asOf(day)),
                    ProgressGroups.Entry::plus, ProgressGroups.Entry::isZero);
        }
    }

    @Test
    void aProjectsRowsAreDatedOnlyOnItsChangeDates() {
        for (DatedState state : states()) {
            assertThat(Figures.dated(state).keySet()).as(state.toString()).extracting(Dated::effectiveOn)
                    .allMatch(state.changeDates()::contains);
        }
    }

    @Test
    void aProjectThatDidNotChangeChangesNoRow() {
        for (DatedState state : states()) {
            assertThat(Figures.delta(state, state)).as(state.toString()).isEmpty();
            assertThat(Timeline.delta(state, state)).as(state.toString()).isEmpty();
            assertThat(ProgressGroups.delta(state, state)).as(state.toString()).isEmpty();
        }
    }

    /**
     * contribution(before) + delta(before, after) = contribution(after), compared by value; the delta holds no row
     * that sums to nothing.
     */
    private static <K extends Comparable<K>, V> void assertLaw(Supplier<String> pair, DatedState before, DatedState after,
                                                             Function<DatedState, SortedMap<K, V>> contribution,
                                                             BiFunction<DatedState, DatedState, SortedMap<K, V>> delta,
                                                             BinaryOperator<V> plus, Predicate<V> isZero) {
        SortedMap<K, V> change = delta.apply(before, after);
        if (change.values().stream().anyMatch(isZero)) {
            fail(pair.get() + ": a row of the delta sums to nothing: " + change);
        }
        SortedMap<K, V> rows = new TreeMap<>(contribution.apply(before));
        Contributions.add(rows, change, plus);
        rows.values().removeIf(isZero);
        SortedMap<K, V> expected = contribution.apply(after);
        if (!rows.keySet().equals(expected.keySet())) {
            fail(pair.get() + ": the rows after are " + expected.keySet() + ", before plus the delta " + rows.keySet());
        }
        expected.forEach((key, value) -> {
            if (!sameValue(rows.get(key), value, plus, isZero)) {
                fail(pair.get() + ": row " + key + " is " + rows.get(key) + ", not " + value);
            }
        });
    }

    /** The dated rows of each key up to {@code day}, summed, are {@code asOf}'s rows, compared by value. */
    private static <K extends Comparable<K>, V> void assertSummedUpTo(Supplier<String> where, LocalDate day,
                                                                    SortedMap<Dated<K>, V> dated, SortedMap<K, V> asOf,
                                                                    BinaryOperator<V> plus, Predicate<V> isZero) {
        SortedMap<K, V> summed = new TreeMap<>();
        dated.forEach((row, change) -> {
            if (!row.effectiveOn().isAfter(day)) {
                summed.merge(row.key(), change, plus);
            }
        });
        summed.values().removeIf(isZero);
        if (!summed.keySet().equals(asOf.keySet())) {
            fail(where.get() + ": the rows are " + asOf.keySet() + ", the dated rows summed " + summed.keySet());
        }
        asOf.forEach((key, value) -> {
            if (!sameValue(summed.get(key), value, plus, isZero)) {
                fail(where.get() + ": row " + key + " sums to " + summed.get(key) + ", not " + value);
            }
        });
    }

    /** Amounts are compared by value, 100.50 as 100.5: a − b sums to nothing. */
    private static <V> boolean sameValue(V a, V b, BinaryOperator<V> plus, Predicate<V> isZero) {
        return isZero.test(plus.apply(a, negated(b)));
    }

    @SuppressWarnings("unchecked")
    private static <V> V negated(V value) {
        if (value instanceof Figures f) {
            return (V) Figures.ZERO.minus(f);
        }
        if (value instanceof Timeline.Entry e) {
            return (V) e.negate();
        }
        return (V) ((ProgressGroups.Entry) value).negate();
    }

    /** Every state of a few hundred generated projects, unknown included. */
    private static List<DatedState> states() {
        return new GeneratedProjects(SEED).next(300).stream().flatMap(p -> p.states().stream()).distinct().toList();
    }
}
