package cn.qxqy.pipeline.projection;

import cn.qxqy.pipeline.domain.DatedState;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.BinaryOperator;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/** What a change of one project adds to aggregate rows: the rows it counts in after, less those before. */
final class Contributions {

    private Contributions() {
    }

    /** after − before per row, unchanged rows left out; sorted, so that rows are always locked in one order. */
    static <K extends Comparable<K>, V> SortedMap<K, V> delta(Map<K, V> before, Map<K, V> after, BinaryOperator<V> plus,
                                                             UnaryOperator<V> negate, Predicate<V> isZero) {
        SortedMap<K, V> delta = new TreeMap<>(after);
        before.forEach((key, value) -> delta.merge(key, negate.apply(value), plus));
        delta.values().removeIf(isZero);
        return delta;
    }

    /** A project as it stood at the end of one of its {@link DatedState#changeDates()}. */
    record AsOfDay(LocalDate day, DatedState.AsOf asOf) {
    }

    /**
     * The project as of each day its contributions may change, worked out once for all the aggregates: each of
     * figures, timeline and progress reads the same states.
     */
    static List<AsOfDay> days(DatedState project) {
        List<AsOfDay> days = new ArrayList<>();
        for (LocalDate day : project.changeDates()) {
            days.add(new AsOfDay(day, project.asOf(day)));
        }
        return days;
    }

    /**
     * A project's contribution as it stood on each day, as rows from the day they take effect: what it counts for on
     * a day is a step function of the day that changes only on {@link DatedState#changeDates()}, so on each of those
     * days the change since the one before. The rows of a key up to a day sum to the project's contribution as of it.
     */
    static <K extends Comparable<K>, V> SortedMap<Dated<K>, V> dated(List<AsOfDay> days,
                                                                     Function<DatedState.AsOf, SortedMap<K, V>> contribution,
                                                                     BinaryOperator<V> plus, UnaryOperator<V> negate,
                                                                     Predicate<V> isZero) {
        SortedMap<Dated<K>, V> rows = new TreeMap<>();
        Map<K, V> before = Map.of();
        for (AsOfDay day : days) {
            SortedMap<K, V> then = contribution.apply(day.asOf());
            delta(before, then, plus, negate, isZero).forEach((key, change) -> rows.put(new Dated<>(key, day.day()), change));
            before = then;
        }
        return rows;
    }

    /** Adds {@code contribution} into {@code totals}. */
    static <K, V> void add(Map<K, V> totals, Map<K, V> contribution, BinaryOperator<V> plus) {
        contribution.forEach((key, value) -> totals.merge(key, value, plus));
    }
}
