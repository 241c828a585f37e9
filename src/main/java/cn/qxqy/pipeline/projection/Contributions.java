package cn.qxqy.pipeline.projection;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.BinaryOperator;
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

    /** Adds {@code contribution} into {@code totals}. */
    static <K, V> void add(Map<K, V> totals, Map<K, V> contribution, BinaryOperator<V> plus) {
        contribution.forEach((key, value) -> totals.merge(key, value, plus));
    }
}
